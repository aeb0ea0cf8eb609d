import { z } from 'zod';
import {
  CLAIM_CONTENT_FIELDS,
  CLAIM_TEXT_CONTENT_FIELDS,
  type ClaimContentField,
} from '../claims/claim-columns';
import { isClaimKind } from '../claims/scales';
import {
  checkbox,
  idList,
  optionalDate,
  optionalHttpUrl,
  optionalId,
  optionalText,
  optionalVersion,
  requiredId,
  requiredText,
  versionField,
} from '../newsroom/forms';

/** The claim form's fields, named as the domain's (PRODUCT.md: forms speak the domain's words). */
export const CLAIM_FIELDS = [
  'election_id',
  'candidate_id',
  'kind',
  ...CLAIM_CONTENT_FIELDS,
  'version',
  'correction_note',
] as const;

/** The fields a conflict shows side by side (text fields; topics and the checkbox are shown as saved). */
export const CLAIM_TEXT_FIELDS = ['candidate_id', 'kind', ...CLAIM_TEXT_CONTENT_FIELDS] as const;

const kind = requiredText(20).refine(isClaimKind, 'invalid_choice');

/** Each content field's rule: a field added to CLAIM_CONTENT_FIELDS without one fails to compile. */
const contentRules = {
  title: optionalText(200),
  quote: requiredText(5000),
  quote_is_paraphrase: checkbox(),
  said_on: optionalDate(),
  event: optionalText(300),
  source_publisher: optionalText(200),
  source_title: optionalText(300),
  source_url: optionalHttpUrl(),
  topics: idList(),
  deadline: optionalDate(),
  summary: optionalText(1000),
  explanation: optionalText(20000),
} satisfies Record<ClaimContentField, z.ZodType>;

const claimBase = z.object({
  election_id: optionalId(),
  candidate_id: requiredId(),
  kind,
  ...contentRules,
});

function deadlineOnlyForPromises(claim: { kind: string; deadline: string | null }, ctx: z.RefinementCtx) {
  if (claim.deadline && claim.kind !== 'promise') {
    ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'deadline_only_promises' });
  }
}

export const newClaimSchema = claimBase.superRefine(deadlineOnlyForPromises);

export const claimEditSchema = claimBase
  .extend({ version: versionField(), correction_note: optionalText(2000) })
  .superRefine(deadlineOnlyForPromises);

/**
 * Where in an event a new claim was said: the event's row (of the claim's election) and the time into its
 * video, HH:MM:SS (the finder fills both from its analysis, captions giving the moment).
 */
export const claimPlacementSchema = z.object({
  event_id: optionalId(),
  moment: optionalText(9).refine(
    (value) => value === null || /^[0-9]{2,3}:[0-5][0-9]:[0-5][0-9]$/.test(value),
    'moment_invalid',
  ),
});

export type NewClaimInput = z.output<typeof newClaimSchema>;
export type ClaimEditInput = z.output<typeof claimEditSchema>;

/** The small forms of workflow actions: the version seen, and a note or reason where one is asked. */
export const workflowSchema = z.object({ version: optionalVersion(), note: optionalText(2000) });
export const retractSchema = z.object({
  version: optionalVersion(),
  retraction_reason: requiredText(2000),
});
