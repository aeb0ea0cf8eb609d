import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ValidationError } from '../../lib/errors';
import type { Lang } from '../../lib/i18n';
import { parseOrThrow } from '../../lib/validation';
import type { FollowingRepository } from '../following/following.repository';
import type { FollowingService } from '../following/following.service';
import type { ReaderKeys } from '../following/reader-keys';
import type { ReaderLimits } from '../following/reader-limits';
import type { NewTip, TipsRepository } from './tips.repository';
import { HONEYPOT_FIELD, type TipInput, tipSchema } from './tips.schemas';

/** Tips taken per hour from one IP address, and from one email. */
export const TIPS_PER_IP_PER_HOUR = 10;
export const TIPS_PER_EMAIL_PER_HOUR = 5;

export interface TipRequest {
  body: unknown;
  lang: Lang;
  ip: string;
}

export interface TipReceipt {
  /** False for a robot's form (the honeypot filled in): it is told thanks and nothing is kept. */
  stored: boolean;
  withEmail: boolean;
}

/** What makes two tips the same one: their content, with case and runs of white space ignored. */
function fingerprintOf(tip: Omit<NewTip, 'fingerprint' | 'ip_hash' | 'lang'>): string {
  const norm = (value: string | number | null) =>
    value === null ? '' : String(value).normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  const parts = [
    tip.kind,
    tip.claim_id,
    tip.quote,
    tip.speaker,
    tip.said_on,
    tip.where_said,
    tip.url,
    tip.note,
  ];
  return createHash('sha256')
    .update(JSON.stringify(parts.map(norm)))
    .digest('hex');
}

/**
 * Readers' tips: a claim to check, or evidence about a published claim. Nothing is published from a tip;
 * it waits in the newsroom's queue. An email left with it starts a tip follow (double opt-in, like any
 * follow), so that the sender hears when the tip led to a published verdict.
 */
export function tipsService(deps: {
  db: Knex;
  tips: TipsRepository;
  following: FollowingService;
  followingRows: FollowingRepository;
  keys: ReaderKeys;
  limits: ReaderLimits;
}) {
  const { db, tips, following, followingRows, keys, limits } = deps;

  async function claimIdOf(tip: TipInput): Promise<number | null> {
    if (tip.kind !== 'evidence' || !tip.claim) return null;
    const claim = await followingRows.target('claim', tip.claim);
    if (!claim) throw new ValidationError({ claim: 'claim_unknown' });
    return claim.id;
  }

  return {
    /** The published claim a verdict page's "send evidence" link names, for the form's heading. */
    async claimLabel(slug: unknown): Promise<{ slug: string; label: string } | undefined> {
      if (typeof slug !== 'string' || slug === '' || slug.length > 200) return undefined;
      const claim = await followingRows.target('claim', slug);
      return claim && { slug: claim.slug, label: claim.label };
    },

    async submit(request: TipRequest): Promise<TipReceipt> {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const trap = body[HONEYPOT_FIELD];
      if (trap !== undefined && trap !== '') return { stored: false, withEmail: false };
      const input = parseOrThrow(tipSchema, body) as TipInput;
      const claimId = await claimIdOf(input);
      const { email } = input;
      await limits.check('tip', [
        { kind: 'ip', value: request.ip, max: TIPS_PER_IP_PER_HOUR, windowSeconds: 3600 },
        ...(email
          ? [{ kind: 'email' as const, value: email, max: TIPS_PER_EMAIL_PER_HOUR, windowSeconds: 3600 }]
          : []),
      ]);
      const content = {
        kind: input.kind,
        claim_id: claimId,
        quote: input.quote,
        speaker: input.speaker,
        said_on: input.said_on,
        where_said: input.where,
        url: input.url,
        note: input.note,
      };
      await db.transaction(async (trx) => {
        await limits.record(trx, 'tip', [
          { kind: 'ip', value: request.ip },
          ...(email ? [{ kind: 'email' as const, value: email }] : []),
        ]);
        const { id } = await tips.receive(trx, {
          ...content,
          lang: request.lang,
          fingerprint: fingerprintOf(content),
          ip_hash: keys.keyed('ip', request.ip),
        });
        if (email)
          await following.startFollow(trx, email, request.lang, false, { target_kind: 'tip', tip_id: id });
      });
      return { stored: true, withEmail: email !== null };
    },
  };
}

export type TipsService = ReturnType<typeof tipsService>;
