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

export const EVIDENCE_FIELDS = [
  'url',
  'title',
  'publisher',
  'published_on',
  'archive_url',
  'excerpt',
  'stance',
  'version',
] as const;

const stance = requiredText(20)
  .refine((value) => (EVIDENCE_STANCES as readonly string[]).includes(value), 'invalid_choice')
  .transform((value) => value as EvidenceStance);

export const evidenceSchema = z.object({
  url: requiredHttpUrl(),
  title: requiredText(300),
  publisher: optionalText(200),
  published_on: optionalDate(),
  archive_url: optionalHttpUrl(),
  excerpt: optionalText(5000),
  stance,
});

export const evidenceEditSchema = evidenceSchema.extend({ version: versionField() });

export const evidenceRemovalSchema = z.object({
  version: optionalVersion(),
  removal_reason: requiredText(1000),
});
