import { z } from 'zod';
import { emailField } from '../following/following.service';
import { optionalDate, optionalHttpUrl, optionalText, requiredText } from '../newsroom/forms';

/** The tip form's fields, named as PRODUCT.md names them (`where` is stored as `where_said`). */
export const TIP_FIELDS = [
  'kind',
  'quote',
  'speaker',
  'said_on',
  'where',
  'url',
  'note',
  'email',
  'claim',
] as const;

export const TIP_KINDS = ['claim', 'evidence'] as const;
export type TipKind = (typeof TIP_KINDS)[number];

/** A tip's text fields may carry at most this many links between them (the `url` field aside). */
export const MAX_LINKS_IN_TEXT = 3;

/** The field a person never sees (hidden by the stylesheet) and a form-filling robot fills in. */
export const HONEYPOT_FIELD = 'website';

const LINK = /\b(?:https?:\/\/|www\.)/gi;

export function linksIn(...texts: (string | null)[]): number {
  return texts.reduce((sum, text) => sum + (text?.match(LINK)?.length ?? 0), 0);
}

const optionalEmail = z.preprocess(
  (value) => (value === undefined ? '' : typeof value === 'string' ? value.trim() : value),
  z.union([z.literal('').transform(() => null), emailField]),
);

const tipBase = z.object({
  kind: requiredText(20).refine((v) => (TIP_KINDS as readonly string[]).includes(v), 'invalid_choice'),
  quote: optionalText(2000),
  speaker: optionalText(200),
  said_on: optionalDate(),
  where: optionalText(300),
  url: optionalHttpUrl(),
  note: optionalText(2000),
  email: optionalEmail,
  claim: optionalText(200),
});

/**
 * A claim to check needs what was said; evidence needs the claim it is about and a link or a note. The
 * text fields together carry a few links at most (a tip is read by a person, not a list of links).
 */
export const tipSchema = tipBase.superRefine((tip, ctx) => {
  if (tip.kind === 'claim' && !tip.quote)
    ctx.addIssue({ code: 'custom', path: ['quote'], message: 'required' });
  if (tip.kind === 'evidence') {
    if (!tip.claim) ctx.addIssue({ code: 'custom', path: ['claim'], message: 'required' });
    if (!tip.url && !tip.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'note_or_url' });
  }
  if (linksIn(tip.quote, tip.speaker, tip.where, tip.note) > MAX_LINKS_IN_TEXT) {
    ctx.addIssue({ code: 'custom', path: ['note'], message: 'too_many_links' });
  }
});

export type TipInput = z.output<typeof tipSchema> & { kind: TipKind };

/** The newsroom's dismissal: a reason, always (it goes into the audit log). */
export const dismissSchema = z.object({ dismiss_reason: requiredText(1000) });

/** Deleting a tip on its sender's request: the request, in a few words, for the audit log. */
export const removalSchema = z.object({ reason: requiredText(1000) });
