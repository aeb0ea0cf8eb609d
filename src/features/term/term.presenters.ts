import type { Translate } from '../../lib/i18n';
import type { StatusReason } from './reasons';

/** A status update's reason in the API: the code, its label in the request's language, and "other"'s text. */
export function reasonJson(
  entry: { reason_code: StatusReason | null; reason_text: string | null },
  t: Translate,
) {
  return {
    reason: entry.reason_code,
    reason_label: entry.reason_code ? t(`reason.${entry.reason_code}`) : null,
    reason_text: entry.reason_text,
  };
}
