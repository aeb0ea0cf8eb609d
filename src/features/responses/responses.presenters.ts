import { isoDay } from '../../lib/dates';
import type { Translate } from '../../lib/i18n';
import { safeHref } from '../../lib/urls';
import { xmlEscape } from '../feeds/xml';
import { currentContent, type FeedResponse } from './responses.repository';

/** A response as the verdict page and the API read it (through the verdict's one query). */
export interface PublicResponse {
  id: number;
  responded_at: Date;
  responder: string;
  responder_role: string | null;
  text: string | null;
  url: string | null;
  created_at: Date;
  corrections: PublicResponseCorrection[];
}

export interface PublicResponseCorrection {
  id: number;
  note: string;
  text: string | null;
  url: string | null;
  created_at: Date;
}

/** The same, as the query's JSON gives it: timestamps as text. */
export type PublicResponseJson = Omit<PublicResponse, 'responded_at' | 'created_at' | 'corrections'> & {
  responded_at: string;
  created_at: string;
  corrections: (Omit<PublicResponseCorrection, 'created_at'> & { created_at: string })[];
};

export function responseFromJson(row: PublicResponseJson): PublicResponse {
  return {
    ...row,
    responded_at: new Date(row.responded_at),
    created_at: new Date(row.created_at),
    corrections: row.corrections.map((c) => ({ ...c, created_at: new Date(c.created_at) })),
  };
}

/** A time of day worth showing: none when only a day was given (midnight UTC). */
function timeOfDay(value: Date): string | null {
  const time = value.toISOString().slice(11, 16);
  return time === '00:00' ? null : `${time} UTC`;
}

/** Plain text as paragraphs: a blank line starts a new one. */
function paragraphs(text: string | null): string[] {
  if (!text) return [];
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The right-of-reply section of a verdict page: who, when, what (as corrected), and the corrections. */
export function responsesView(responses: PublicResponse[]) {
  return responses.map((response) => {
    const current = currentContent(response, response.corrections);
    return {
      id: response.id,
      responder: response.responder,
      role: response.responder_role,
      respondedAt: response.responded_at,
      time: timeOfDay(response.responded_at),
      paragraphs: paragraphs(current.text),
      href: safeHref(current.url),
      url: current.url,
      // Newest first, as the claim's own corrections are listed.
      corrections: [...response.corrections].reverse(),
    };
  });
}

/** `responses` in the API's claim: field names are a contract (docs/DECISIONS.md, "Right of reply"). */
export function responsesJson(responses: PublicResponse[]) {
  return responses.map((response) => {
    const current = currentContent(response, response.corrections);
    return {
      id: response.id,
      responded_at: response.responded_at,
      responder: response.responder,
      responder_role: response.responder_role,
      text: current.text,
      url: current.url,
      recorded_at: response.created_at,
      corrections: response.corrections.map((c, i) => {
        const previous = i === 0 ? response : response.corrections[i - 1]!;
        return {
          note: c.note,
          created_at: c.created_at,
          text: c.text,
          url: c.url,
          previous_text: previous.text,
          previous_url: previous.url,
        };
      }),
    };
  });
}

/** A response's Atom entry: one per response, its `updated` moved by each correction. */
export function responseEntry(response: FeedResponse, base: string, t: Translate): string[] {
  const url = `${base}/claims/${response.claim_slug}`;
  const who = response.responder_role
    ? `${response.responder} (${response.responder_role})`
    : response.responder;
  const said = response.text ?? response.url ?? '';
  const label = t('responses.heading');
  return [
    '<entry>',
    `<id>${xmlEscape(`${url}#response-${response.id}`)}</id>`,
    `<title>${xmlEscape(`${label}: ${response.claim_title}`)}</title>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(`${url}#response-${response.id}`)}"/>`,
    `<published>${response.created_at.toISOString()}</published>`,
    `<updated>${response.updated_at.toISOString()}</updated>`,
    `<category term="response" label="${xmlEscape(label)}"/>`,
    `<summary type="text">${xmlEscape(
      `${t('responses.feed_summary', {
        responder: who,
        candidate: response.candidate_name,
        date: isoDay(response.responded_at),
      })} ${said.length > 600 ? `${said.slice(0, 599)}…` : said}`,
    )}</summary>`,
    '</entry>',
  ];
}
