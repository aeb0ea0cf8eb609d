import { z } from 'zod';
import { optionalHttpUrl, optionalId, optionalText, requiredId } from '../newsroom/forms';

/** Most words analysed at once: a long debate's transcript; a manifesto of a hundred pages. */
export const MAX_FINDER_WORDS = 20_000;
/** Largest file the finder reads (a visi-misi PDF with pictures). */
export const MAX_FINDER_FILE_BYTES = 5 * 1024 * 1024;
/** Most suggestions offered at once, highest scores first (the save form carries seven fields each). */
export const MAX_SUGGESTIONS = 100;

/** What every draft saved from one analysis carries: the election, the event and the source. */
export const FINDER_CONTEXT_FIELDS = [
  'election_id',
  'event_id',
  'source_publisher',
  'source_title',
  'source_url',
] as const;

export const finderContextSchema = z.object({
  election_id: requiredId(),
  event_id: optionalId(),
  source_publisher: optionalText(200),
  source_title: optionalText(300),
  source_url: optionalHttpUrl(),
});

export type FinderContext = z.output<typeof finderContextSchema>;

/** The fields of one suggestion in the save form, suffixed with its position (quote_3, kind_3…). */
export const SUGGESTION_FIELDS = [
  'quote',
  'candidate_id',
  'kind',
  'title',
  'quote_is_paraphrase',
  'moment',
] as const;
