import { type FieldErrors, ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { type ClaimEditingService, RowsInvalidError } from '../claim-editing/claim-editing.service';
import type { Claim } from '../claims/claims.types';
import { isFinalStatus } from '../claims/scales';
import type { ReferenceRepository } from '../election-editing/reference.repository';
import type { Actor } from '../users/accounts';
import { analyse, type Suggestion } from './analysis';
import { CaptionError, captionsToText, looksLikeCaptions, parseCaptions } from './captions';
import type { FinderRepository, SimilarClaim } from './finder.repository';
import {
  type FinderContext,
  finderContextSchema,
  MAX_FINDER_FILE_BYTES,
  MAX_FINDER_WORDS,
  MAX_SUGGESTIONS,
} from './finder.schemas';
import { looksLikePdf, PdfError, pdfText } from './pdf';
import { buildRoster, type RosterCandidate } from './speakers';
import { countWords } from './text';

export interface FinderUpload {
  buffer: Buffer;
  originalname: string;
}

export type InputKind = 'text' | 'captions' | 'pdf';

export interface FinderSuggestion extends Suggestion {
  candidate: RosterCandidate | null;
  duplicates: SimilarClaim[];
  /** The closest duplicate that already has a verdict: the suggestion repeats a rated claim. */
  ratedDuplicate: SimilarClaim | null;
}

export interface FinderResult {
  context: FinderContext;
  roster: RosterCandidate[];
  suggestions: FinderSuggestion[];
  /** How many were found before the list was cut to MAX_SUGGESTIONS. */
  totalFound: number;
  words: number;
  inputKind: InputKind;
  /** The text analysed, as the save form carries it back (captions as captions, a PDF as its text). */
  sourceText: string;
}

const MAX_DUPLICATES = 5;
/** A claim typed this close to an existing one is not saved until the reporter confirms (no script). */
export const CONFIRM_SIMILARITY = 0.8;
/** Longest text compared while typing (a quote longer than this is compared by its beginning). */
const MAX_TYPED = 2000;
const KEYS_PER_QUERY = 10;

/** The text to analyse from what was pasted or uploaded; file problems are field errors on `file`. */
async function readInput(
  pasted: unknown,
  file: FinderUpload | undefined,
): Promise<{ text: string; kind: InputKind }> {
  if (file && file.buffer.length > 0) {
    if (file.buffer.length > MAX_FINDER_FILE_BYTES)
      throw new ValidationError({ file: 'finder_file_too_large' });
    const name = file.originalname.toLowerCase();
    if (name.endsWith('.pdf') || looksLikePdf(file.buffer)) {
      try {
        return { text: await pdfText(file.buffer), kind: 'pdf' };
      } catch (err) {
        if (err instanceof PdfError) throw new ValidationError({ file: err.key });
        throw err;
      }
    }
    if (!/\.(?:txt|srt|vtt|text|md)$/.test(name) && name.includes('.')) {
      throw new ValidationError({ file: 'finder_file_type' });
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
    } catch {
      throw new ValidationError({ file: 'not_utf8' });
    }
    const captions = name.endsWith('.srt') || name.endsWith('.vtt') || looksLikeCaptions(text);
    return { text, kind: captions ? 'captions' : 'text' };
  }
  const text = typeof pasted === 'string' ? pasted : '';
  if (text.includes('\u0000')) throw new ValidationError({ text: 'invalid_characters' });
  if (!text.trim()) throw new ValidationError({ text: 'finder_text_required' });
  return { text, kind: looksLikeCaptions(text) ? 'captions' : 'text' };
}

export function finderService(deps: {
  finder: FinderRepository;
  reference: ReferenceRepository;
  claimEditing: ClaimEditingService;
}) {
  const { finder, reference, claimEditing } = deps;

  async function context(body: unknown): Promise<FinderContext> {
    const data = parseOrThrow(finderContextSchema, body);
    if (!(await reference.findElection(data.election_id)))
      throw new ValidationError({ election_id: 'invalid_choice' });
    if (data.event_id !== null) {
      const event = await finder.event(data.event_id);
      if (!event || event.election_id !== data.election_id)
        throw new ValidationError({ event_id: 'event_not_in_election' });
    }
    return data;
  }

  /** Duplicates of every suggestion, in one query for all of them. */
  async function withDuplicates(
    found: Suggestion[],
    roster: RosterCandidate[],
    electionId: number,
  ): Promise<FinderSuggestion[]> {
    const keys = [...new Set(found.flatMap((s) => s.lookupKeys))];
    // A few statements of at most KEYS_PER_QUERY texts, two at a time: each stays well inside the
    // statement timeout however long the text, and a PostgreSQL server works on two at once.
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) chunks.push(keys.slice(i, i + KEYS_PER_QUERY));
    const answers: SimilarClaim[][][] = [];
    for (let i = 0; i < chunks.length; i += 2) {
      answers.push(
        ...(await Promise.all(
          chunks.slice(i, i + 2).map((chunk) => finder.similarTo(chunk, { electionId })),
        )),
      );
    }
    const matches = answers.flat();
    const byKey = new Map(keys.map((key, i) => [key, matches[i] ?? []]));
    const byId = new Map(roster.map((c) => [c.id, c]));
    return found.map((s) => {
      const best = new Map<number, SimilarClaim>();
      for (const key of s.lookupKeys) {
        for (const claim of byKey.get(key) ?? []) {
          const seen = best.get(claim.id);
          if (!seen || seen.similarity < claim.similarity) best.set(claim.id, claim);
        }
      }
      const duplicates = [...best.values()]
        .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
        .slice(0, MAX_DUPLICATES);
      return {
        ...s,
        candidate: s.candidateId === null ? null : (byId.get(s.candidateId) ?? null),
        duplicates,
        ratedDuplicate: duplicates.find((d) => isFinalStatus(d.status)) ?? null,
      };
    });
  }

  /**
   * The existing claims most like a claim being typed (its quote and title), in its election: the one
   * chosen, else its candidate's. Without either, or with fewer than three words, there is nothing to
   * compare. `exclude` is the claim being edited.
   */
  async function similarToTyped(input: Record<string, unknown>): Promise<SimilarClaim[]> {
    const text = (field: string) =>
      typeof input[field] === 'string'
        ? (input[field] as string)
            .replace(/\u0000/g, '')
            .trim()
            .slice(0, MAX_TYPED)
        : '';
    const id = (field: string) => {
      const value = text(field);
      return /^\d{1,9}$/.test(value) ? Number(value) : null;
    };
    let electionId = id('election_id');
    const candidateId = id('candidate_id');
    if (candidateId !== null) {
      const candidate = await reference.findCandidate(candidateId);
      if (candidate && electionId === null) electionId = candidate.election_id;
    }
    const keys = [text('quote'), text('title')].filter((key) => key.split(/\s+/).length >= 3);
    if (electionId === null || keys.length === 0) return [];
    const exclude = id('exclude');
    const found = await finder.similarTo(keys, { electionId, limit: MAX_DUPLICATES + 1 });
    const best = new Map<number, SimilarClaim>();
    for (const claim of found.flat()) {
      if (claim.id === exclude) continue;
      const seen = best.get(claim.id);
      if (!seen || seen.similarity < claim.similarity) best.set(claim.id, claim);
    }
    return [...best.values()]
      .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
      .slice(0, MAX_DUPLICATES);
  }

  return {
    similarToTyped,

    /**
     * The close matches of a new claim that the reporter has not been shown yet (the script lists the ids
     * it showed in `duplicates_seen`), unless they confirmed saving anyway: empty means save.
     */
    async unconfirmedDuplicates(input: unknown): Promise<SimilarClaim[]> {
      const fields = (input ?? {}) as Record<string, unknown>;
      if (fields.confirm_duplicates === '1') return [];
      const seen = new Set(
        (typeof fields.duplicates_seen === 'string' ? fields.duplicates_seen : '')
          .split(',')
          .filter((v) => /^\d{1,9}$/.test(v))
          .map(Number),
      );
      const matches = await similarToTyped(fields);
      const close = matches.filter((m) => m.similarity >= CONFIRM_SIMILARITY);
      return close.some((m) => !seen.has(m.id)) ? close : [];
    },

    electionsWithCandidates: () => reference.electionsWithCandidates(),
    events: () => finder.events(),

    /** Suggested claims from pasted text or a file, each with the existing claims it may duplicate. */
    async analyse(body: unknown, file?: FinderUpload): Promise<FinderResult> {
      const data = await context(body);
      const input = await readInput((body as Record<string, unknown> | undefined)?.text, file);
      let text = input.text;
      let moments: { offset: number; seconds: number }[] | undefined;
      if (input.kind === 'captions') {
        try {
          ({ text, moments } = captionsToText(parseCaptions(input.text)));
        } catch (err) {
          if (err instanceof CaptionError) throw new ValidationError({ [file ? 'file' : 'text']: err.key });
          throw err;
        }
      }
      const words = countWords(text);
      if (words > MAX_FINDER_WORDS)
        throw new ValidationError({ [file ? 'file' : 'text']: 'finder_too_many_words' });
      const roster = await finder.roster(data.election_id);
      const found = analyse({ text, roster: buildRoster(roster), ...(moments ? { moments } : {}) });
      const kept = found.slice(0, MAX_SUGGESTIONS);
      return {
        context: data,
        roster,
        suggestions: await withDuplicates(kept, roster, data.election_id),
        totalFound: found.length,
        words,
        inputKind: input.kind,
        sourceText: input.text,
      };
    },

    /**
     * Saves the ticked suggestions as drafts, all or none, through the claim form's own rules; each
     * carries the analysis's source, and its audit row says it came from the finder.
     */
    async save(body: unknown, actor: Actor): Promise<Claim[]> {
      const data = await context(body);
      const fields = (body ?? {}) as Record<string, unknown>;
      const keep = (Array.isArray(fields.keep) ? fields.keep : [fields.keep]).filter(
        (v): v is string => typeof v === 'string' && /^\d{1,3}$/.test(v),
      );
      const positions = [...new Set(keep.map(Number))]
        .filter((n) => n < MAX_SUGGESTIONS)
        .sort((a, b) => a - b);
      if (positions.length === 0) throw new ValidationError({ _form: 'finder_nothing_ticked' });
      const inputs = positions.map((n) => ({
        election_id: String(data.election_id),
        candidate_id: fields[`candidate_id_${n}`],
        kind: fields[`kind_${n}`],
        title: fields[`title_${n}`],
        quote: fields[`quote_${n}`],
        quote_is_paraphrase: fields[`quote_is_paraphrase_${n}`],
        event_id: data.event_id === null ? '' : String(data.event_id),
        moment: fields[`moment_${n}`],
        source_publisher: data.source_publisher ?? '',
        source_title: data.source_title ?? '',
        source_url: data.source_url ?? '',
      }));
      try {
        return await claimEditing.createMany(inputs, actor, 'claim.finder');
      } catch (err) {
        // Field errors by the suggestion's position in the list, not by its place among the ticked ones.
        if (!(err instanceof RowsInvalidError)) throw err;
        const byPosition: (FieldErrors | undefined)[] = [];
        err.rows.forEach((errors, i) => {
          byPosition[positions[i]!] = errors;
        });
        throw new RowsInvalidError(byPosition);
      }
    },
  };
}

export type FinderService = ReturnType<typeof finderService>;
