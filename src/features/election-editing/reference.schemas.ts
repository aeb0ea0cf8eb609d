import { z } from 'zod';
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
  'version',
] as const;

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
});

export const candidateEditSchema = candidateSchema.extend({ version: versionField() });

export const TOPIC_FIELDS = ['name', 'version'] as const;
export const topicSchema = z.object({ name: requiredText(100) });
export const topicEditSchema = topicSchema.extend({ version: versionField() });
