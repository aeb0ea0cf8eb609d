import { ValidationError } from '../../lib/errors';
import { isStatusReason, needsReason, type StatusReason } from './reasons';

/**
 * The reason a status change carries, as the form gave it: required (from the list) for broken,
 * stalled and compromise, refused for every other status; "other" needs its text and only "other"
 * takes one, so that no text is stored where nobody will read it. The database holds the same rule.
 */
export function checkReason(
  status: string,
  reason: string | null,
  text: string | null,
): { reason_code: StatusReason | null; reason_text: string | null } {
  if (!needsReason(status)) {
    if (reason !== null) throw new ValidationError({ reason: 'reason_not_allowed' });
    if (text !== null) throw new ValidationError({ reason_text: 'reason_not_allowed' });
    return { reason_code: null, reason_text: null };
  }
  if (reason === null) throw new ValidationError({ reason: 'reason_required' });
  if (!isStatusReason(reason)) throw new ValidationError({ reason: 'invalid_choice' });
  if (reason === 'other' && text === null) throw new ValidationError({ reason_text: 'required' });
  if (reason !== 'other' && text !== null)
    throw new ValidationError({ reason_text: 'reason_text_only_other' });
  return { reason_code: reason, reason_text: reason === 'other' ? text : null };
}
