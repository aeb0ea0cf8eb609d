import { z } from 'zod';
import {
  CLAIM_CONTENT_FIELDS,
  CLAIM_TEXT_CONTENT_FIELDS,
  type ClaimContentField,
} from '../claims/claim-columns';
import { isClaimKind } from '../claims/scales';
import { momentField } from '../events/events.schemas';
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
  'agency_id',
  'kind',
  'event_id',
  'event_held_on',
  ...CLAIM_CONTENT_FIELDS,
  'version',
  'correction_note',
] as const;

/** The fields a conflict shows side by side (text fields; topics and the checkbox are shown as saved). */
export const CLAIM_TEXT_FIELDS = [
  'candidate_id',
  'kind',
  'event_id',
  // The event is compared by its id: the name field only names a new one.
  ...CLAIM_TEXT_CONTENT_FIELDS.filter((field) => field !== 'event'),
] as const;

const kind = requiredText(20).refine(isClaimKind, 'invalid_choice');

/** Each content field's rule: a field added to CLAIM_CONTENT_FIELDS without one fails to compile. */
const contentRules = {
  title: optionalText(200),
  quote: requiredText(5000),
  quote_is_paraphrase: checkbox(),
  said_on: optionalDate(),
  // The event's name: an event of the claim's election by that name, made on the spot if there is none.
  event: optionalText(300),
  moment: momentField(),
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
  agency_id: optionalId(),
  kind,
  // The event chosen in the list (when no name is typed), and the date of one made on the spot.
  event_id: optionalId(),
  event_held_on: optionalDate(),
  ...contentRules,
});

function deadlineOnlyForPromises(
  claim: { kind: string; deadline: string | null; agency_id: number | null },
  ctx: z.RefinementCtx,
) {
  if (claim.deadline && claim.kind !== 'promise') {
    ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'deadline_only_promises' });
  }
  // The agency responsible is a promise's (src/features/term/agencies.ts).
  if (claim.agency_id !== null && claim.kind !== 'promise') {
    ctx.addIssue({ code: 'custom', path: ['agency_id'], message: 'agency_only_promises' });
  }
}

export const newClaimSchema = claimBase.superRefine(deadlineOnlyForPromises);

export const claimEditSchema = claimBase
  .extend({ version: versionField(), correction_note: optionalText(2000) })
  .superRefine(deadlineOnlyForPromises);

export type NewClaimInput = z.output<typeof newClaimSchema>;
export type ClaimEditInput = z.output<typeof claimEditSchema>;

/** The small forms of workflow actions: the version seen, and a note or reason where one is asked. */
export const workflowSchema = z.object({ version: optionalVersion(), note: optionalText(2000) });
export const retractSchema = z.object({
  version: optionalVersion(),
  retraction_reason: requiredText(2000),
});
