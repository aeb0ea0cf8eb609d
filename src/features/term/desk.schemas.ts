import { z } from 'zod';
import { optionalId, optionalText, requiredDate, requiredText, versionField } from '../newsroom/forms';
import { isMilestone } from './reports';

export const AGENCY_FIELDS = ['name', 'short_name', 'version'] as const;
export const agencySchema = z.object({ name: requiredText(200), short_name: optionalText(40) });
export const agencyEditSchema = agencySchema.extend({ version: versionField() });

/** The winner form: a ticket of the election, or none (empty). */
export const winnerSchema = z.object({ candidate_id: optionalId() });

export const REPORT_FIELDS = ['milestone', 'title', 'as_of', 'intro'] as const;
export const reportSchema = z.object({
  milestone: requiredText(20).refine(isMilestone, 'invalid_choice'),
  title: requiredText(200),
  as_of: requiredDate(),
  intro: requiredText(20000),
});

export const CORRECTION_FIELDS = ['note', 'intro'] as const;
export const reportCorrectionSchema = z.object({
  note: requiredText(2000),
  intro: optionalText(20000),
});
