import type { Translate } from '../../lib/i18n';
import type { AgencyRef } from './agencies';
import type { StatusReason } from './reasons';

/** A claim's agency in the API: its names and its page, or null. */
export function agencyJson(
  claim: { agency?: AgencyRef | null; election_slug: string },
  baseUrl: string,
): (AgencyRef & { url: string }) | null {
  if (!claim.agency) return null;
  const { slug, name, short_name } = claim.agency;
  return { slug, name, short_name, url: `${baseUrl}/elections/${claim.election_slug}/agencies/${slug}` };
}

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
