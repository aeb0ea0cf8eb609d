import { z } from 'zod';
import { EVIDENCE_STANCES, type EvidenceStance } from '../claims/scales';
import {
  optionalDate,
  optionalHttpUrl,
  optionalText,
  optionalVersion,
  requiredHttpUrl,
  requiredText,
  versionField,
} from '../newsroom/forms';
import { EVIDENCE_CONTENT_FIELDS, type EvidenceContentField } from './evidence-columns';

export const EVIDENCE_FIELDS = [...EVIDENCE_CONTENT_FIELDS, 'version'] as const;

const stance = requiredText(20)
  .refine((value) => (EVIDENCE_STANCES as readonly string[]).includes(value), 'invalid_choice')
  .transform((value) => value as EvidenceStance);

/** Each content field's rule: a field added to EVIDENCE_CONTENT_FIELDS without one fails to compile. */
const contentRules = {
  url: requiredHttpUrl(),
  title: requiredText(300),
  publisher: optionalText(200),
  published_on: optionalDate(),
  archive_url: optionalHttpUrl(),
  excerpt: optionalText(5000),
  stance,
} satisfies Record<EvidenceContentField, z.ZodType>;

export const evidenceSchema = z.object(contentRules);

export const evidenceEditSchema = evidenceSchema.extend({ version: versionField() });

export const evidenceRemovalSchema = z.object({
  version: optionalVersion(),
  removal_reason: requiredText(1000),
});
