import { createHash } from 'node:crypto';
import { formatDate } from '../../lib/dates';
import { type Lang, translator } from '../../lib/i18n';
import type { OutgoingMessage } from '../mail/mail.transport';
import type { FollowView } from './following.repository';
import type { ReaderKeys } from './reader-keys';

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

export function confirmationMessage(
  follow: FollowView,
  subscriberSalt: string,
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  const lang = follow.lang;
  const t = translator(lang);
  const { keys } = links;
  const target = follow.target_label ?? '';
  const confirmUrl = link(links, `/follow/confirm/${keys.token('confirm', follow.token_salt)}`, lang);
  const unsubscribeUrl = `${links.baseUrl}/follow/unsubscribe/${keys.token('unsubscribe', follow.token_salt)}`;
  const manageUrl = link(links, `/follow/manage/${keys.token('manage', subscriberSalt)}`, lang);
  const what = follow.target_kind === 'tip' ? t('mail.confirm.tip') : t('mail.confirm.follow', { target });
  return {
    lang,
    subject: t('mail.confirm.subject', { site: links.siteName }),
    text: [
      t('mail.confirm.intro', { site: links.siteName }),
      what,
      '',
      `${t('mail.confirm.action')}: ${confirmUrl}`,
      '',
      t('mail.confirm.ignore'),
      footer(t, unsubscribeUrl, manageUrl),
    ].join('\n'),
    headers: unsubscribeHeaders(unsubscribeUrl),
    messageId: messageIdFor(idempotencyKey, links.baseUrl),
  };
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
  const { keys } = links;
  const unsubscribeUrl = `${links.baseUrl}/follow/unsubscribe/${keys.token('unsubscribe', follow.token_salt)}`;
  const manageUrl = link(links, `/follow/manage/${keys.token('manage', subscriberSalt)}`, lang);
  const intro =
    follow.target_kind === 'tip'
      ? t('mail.notify.tip')
      : t('mail.notify.intro', { target: follow.target_label ?? '' });
  return {
    lang,
    subject: t('mail.notify.subject', { status: t(`status.${change.to_status}`), claim: change.claim_label }),
    text: [
      intro,
      formatDate(change.approved_at, lang, 'long'),
      '',
      describeChange(t, change, links, lang),
      footer(t, unsubscribeUrl, manageUrl),
    ].join('\n'),
    headers: unsubscribeHeaders(unsubscribeUrl),
    messageId: messageIdFor(idempotencyKey, links.baseUrl),
  };
}

export function digestMessage(
  lang: Lang,
  subscriberSalt: string,
  changes: ChangeNews[],
  idempotencyKey: string,
  links: Links,
): Omit<OutgoingMessage, 'to'> {
  const t = translator(lang);
  const { keys } = links;
  const unsubscribeUrl = `${links.baseUrl}/follow/unsubscribe/${keys.token('unsubscribe_digest', subscriberSalt)}`;
  const manageUrl = link(links, `/follow/manage/${keys.token('manage', subscriberSalt)}`, lang);
  return {
    lang,
    subject: t('mail.digest.subject', { count: changes.length, site: links.siteName }),
    text: [
      t('mail.digest.intro', { count: changes.length }),
      '',
      changes.map((change) => describeChange(t, change, links, lang)).join('\n\n'),
      footer(t, unsubscribeUrl, manageUrl),
    ].join('\n'),
    headers: unsubscribeHeaders(unsubscribeUrl),
    messageId: messageIdFor(idempotencyKey, links.baseUrl),
  };
}
