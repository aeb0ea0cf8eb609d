import { z } from 'zod';
import { parseAliases } from '../finder/speakers';
import {
  checkbox,
  optionalDate,
  optionalText,
  requiredDate,
  requiredText,
  versionField,
} from '../newsroom/forms';

export const ELECTION_FIELDS = [
  'name',
  'office',
  'region',
  'voting_day',
  'term_start',
  'term_end',
  'description',
  'version',
] as const;

const electionBase = z.object({
  name: requiredText(200),
  office: requiredText(200),
  region: requiredText(200),
  voting_day: requiredDate(),
  term_start: optionalDate(),
  term_end: optionalDate(),
  description: optionalText(5000),
});

function termInOrder(e: { term_start: string | null; term_end: string | null }, ctx: z.RefinementCtx) {
  if (e.term_start && e.term_end && e.term_end <= e.term_start) {
    ctx.addIssue({ code: 'custom', path: ['term_end'], message: 'term_order' });
  }
}

export const electionSchema = electionBase.superRefine(termInOrder);
export const electionEditSchema = electionBase.extend({ version: versionField() }).superRefine(termInOrder);

export const CANDIDATE_FIELDS = [
  'name',
  'running_mate',
  'party',
  'is_incumbent',
  'ballot_number',
  'bio',
  'aliases',
  'version',
] as const;

/** Most names a ticket is recorded under besides its own (the column's check allows 20). */
export const MAX_ALIASES = 20;

/** The names a ticket goes by in news writing ("kang Emil", "AH"): one a line, or separated by commas. */
const aliases = optionalText(2000)
  .transform((value) => parseAliases(value ?? ''))
  .refine((list) => list.length <= MAX_ALIASES, 'aliases_too_many')
  .refine((list) => list.every((alias) => alias.length <= 100), 'too_long');

const ballotNumber = z.preprocess(
  (value) => (value === undefined || value === null ? '' : value),
  z
    .string({ message: 'invalid' })
    .trim()
    .regex(/^(\d{1,3})?$/, 'invalid')
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((n) => n === null || n > 0, 'invalid'),
);

export const candidateSchema = z.object({
  name: requiredText(200),
  running_mate: optionalText(200),
  party: optionalText(300),
  is_incumbent: checkbox(),
  ballot_number: ballotNumber,
  bio: optionalText(5000),
  aliases,
});

export const candidateEditSchema = candidateSchema.extend({ version: versionField() });

export const TOPIC_FIELDS = ['name', 'version'] as const;
export const topicSchema = z.object({ name: requiredText(100) });
export const topicEditSchema = topicSchema.extend({ version: versionField() });
