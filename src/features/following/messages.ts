import { createHash } from 'node:crypto';
import { formatDate } from '../../lib/dates';
import { type Lang, translator } from '../../lib/i18n';
import type { OutgoingMessage } from '../mail/mail.transport';
import type { FollowView } from './following.repository';
import type { ReaderKeys, TokenPurpose } from './reader-keys';

/** A published status change as a message tells it. */
export interface ChangeNews {
  status_update_id: number;
  from_status: string;
  to_status: string;
  note: string;
  approved_at: Date;
  claim_slug: string;
  claim_label: string;
  candidate_name: string;
}

export interface Links {
  baseUrl: string;
  siteName: string;
  keys: ReaderKeys;
}

function link(links: Links, path: string, lang: Lang): string {
  return `${links.baseUrl}${path}?lang=${lang}`;
}

/** The same Message-ID for every attempt at one message, so that a receiver can drop a repeat. */
export function messageIdFor(idempotencyKey: string, baseUrl: string): string {
  const host = URL.canParse(baseUrl) ? new URL(baseUrl).hostname : 'localhost';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${host}>`;
}

/** RFC 8058 one-click unsubscribe: a mail client POSTs List-Unsubscribe=One-Click to the https link. */
function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

function footer(t: ReturnType<typeof translator>, unsubscribeUrl: string, manageUrl: string): string {
  return [
    '',
    '--',
    t('mail.footer.why'),
    `${t('mail.footer.unsubscribe')}: ${unsubscribeUrl}`,
    `${t('mail.footer.manage')}: ${manageUrl}`,
  ].join('\n');
}

function describeChange(t: ReturnType<typeof translator>, change: ChangeNews, links: Links, lang: Lang) {
  return [
    `${change.claim_label} (${change.candidate_name})`,
    t('mail.change', { from: t(`status.${change.from_status}`), to: t(`status.${change.to_status}`) }),
    `${t(`status_meaning.${change.to_status}`)}`,
    `${t('mail.note')}: ${change.note}`,
    `${t('mail.read_verdict')}: ${link(links, `/claims/${change.claim_slug}`, lang)}`,
  ].join('\n');
}

/** The links every message ends with: its one-click unsubscribe and the reader's manage page. */
function readerLinks(
  links: Links,
  lang: Lang,
  unsubscribe: { purpose: TokenPurpose; salt: string },
  subscriberSalt: string,
) {
  return {
    unsubscribeUrl: `${links.baseUrl}/follow/unsubscribe/${links.keys.token(unsubscribe.purpose, unsubscribe.salt)}`,
    manageUrl: link(links, `/follow/manage/${links.keys.token('manage', subscriberSalt)}`, lang),
  };
}

/** A message to a reader: its lines, then the footer; RFC 8058 headers and a Message-ID per idempotency key. */
function readerMessage(
  lang: Lang,
  subject: string,
  lines: string[],
  urls: { unsubscribeUrl: string; manageUrl: string },
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  return {
    lang,
    subject,
    text: [...lines, footer(translator(lang), urls.unsubscribeUrl, urls.manageUrl)].join('\n'),
    headers: unsubscribeHeaders(urls.unsubscribeUrl),
    messageId: messageIdFor(idempotencyKey, links.baseUrl),
  };
}

export function confirmationMessage(
  follow: FollowView,
  subscriberSalt: string,
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  const lang = follow.lang;
  const t = translator(lang);
  const confirmUrl = link(links, `/follow/confirm/${links.keys.token('confirm', follow.token_salt)}`, lang);
  const what =
    follow.target_kind === 'tip'
      ? t('mail.confirm.tip')
      : t('mail.confirm.follow', { target: follow.target_label ?? '' });
  return readerMessage(
    lang,
    t('mail.confirm.subject', { site: links.siteName }),
    [
      t('mail.confirm.intro', { site: links.siteName }),
      what,
      '',
      `${t('mail.confirm.action')}: ${confirmUrl}`,
      '',
      t('mail.confirm.ignore'),
    ],
    readerLinks(links, lang, { purpose: 'unsubscribe', salt: follow.token_salt }, subscriberSalt),
    idempotencyKey,
    links,
  );
}

export function notificationMessage(
  follow: FollowView,
  subscriberSalt: string,
  change: ChangeNews,
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  const lang = follow.lang;
  const t = translator(lang);
  const intro =
    follow.target_kind === 'tip'
      ? t('mail.notify.tip')
      : t('mail.notify.intro', { target: follow.target_label ?? '' });
  return readerMessage(
    lang,
    t('mail.notify.subject', { status: t(`status.${change.to_status}`), claim: change.claim_label }),
    [intro, formatDate(change.approved_at, lang, 'long'), '', describeChange(t, change, links, lang)],
    readerLinks(links, lang, { purpose: 'unsubscribe', salt: follow.token_salt }, subscriberSalt),
    idempotencyKey,
    links,
  );
}

export function digestMessage(
  lang: Lang,
  subscriberSalt: string,
  changes: ChangeNews[],
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  const t = translator(lang);
  return readerMessage(
    lang,
    t('mail.digest.subject', { count: changes.length, site: links.siteName }),
    [
      t('mail.digest.intro', { count: changes.length }),
      '',
      changes.map((change) => describeChange(t, change, links, lang)).join('\n\n'),
    ],
    readerLinks(links, lang, { purpose: 'unsubscribe_digest', salt: subscriberSalt }, subscriberSalt),
    idempotencyKey,
    links,
  );
}
