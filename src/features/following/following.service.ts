import type { Knex } from 'knex';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../lib/errors';
import type { Lang } from '../../lib/i18n';
import { parseOrThrow } from '../../lib/validation';
import { checkbox } from '../newsroom/forms';
import {
  FOLLOW_KINDS,
  type FollowingRepository,
  type FollowKind,
  type FollowView,
  type Subscriber,
  type TargetKind,
} from './following.repository';
import { isTokenShaped, type ReaderKeys } from './reader-keys';
import type { ReaderLimits } from './reader-limits';

/** Follows asked for per hour from one IP address, and for one address. */
export const FOLLOWS_PER_IP_PER_HOUR = 30;
export const FOLLOWS_PER_EMAIL_PER_HOUR = 6;

// Deliberately loose (one @, a dot in the domain, no spaces): the confirmation email is the real check.
const emailField = z.preprocess(
  (value) => (typeof value === 'string' ? value : ''),
  z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'required')
    .max(254, 'too_long')
    .regex(
      /^[^\s@<>()[\]\\,;:"\u0000]+@[^\s@<>()[\]\\,;:"\u0000]+\.[^\s@<>()[\]\\,;:"\u0000]+$/,
      'email_invalid',
    ),
);

const followSchema = z.object({
  email: emailField,
  digest: checkbox(),
});

export { emailField };

export interface FollowRequest {
  body: unknown;
  lang: Lang;
  ip: string;
}

/** The result a reader's link leads to. */
export interface ManagePage {
  subscriber: Subscriber;
  follows: FollowView[];
  token: string;
}

/**
 * Following by email with double opt-in. A follow is stored unconfirmed with its confirmation queued in
 * the same transaction; nothing but that confirmation is ever sent to it until its link is used.
 */
export function followingService(deps: {
  db: Knex;
  following: FollowingRepository;
  keys: ReaderKeys;
  limits: ReaderLimits;
}) {
  const { db, following, keys, limits } = deps;

  function newFollowTokens() {
    const salt = keys.newSalt();
    return {
      token_salt: salt,
      confirm_token_hash: keys.hash(keys.token('confirm', salt)),
      unsubscribe_token_hash: keys.hash(keys.token('unsubscribe', salt)),
    };
  }

  function newSubscriberTokens() {
    const salt = keys.newSalt();
    return {
      token_salt: salt,
      manage_token_hash: keys.hash(keys.token('manage', salt)),
      digest_unsubscribe_token_hash: keys.hash(keys.token('unsubscribe_digest', salt)),
    };
  }

  /**
   * A follow (new or already there) of `target` for `email`, with a confirmation queued when it is not
   * confirmed yet: at most one per follow per day, however often the form is sent.
   */
  async function startFollow(
    trx: Knex,
    email: string,
    lang: Lang,
    digest: boolean,
    target: {
      target_kind: TargetKind;
      claim_id?: number;
      candidate_id?: number;
      election_id?: number;
      tip_id?: number;
    },
  ): Promise<void> {
    const subscriber = await following.subscriber(trx, email, newSubscriberTokens);
    const { follow } = await following.follow(trx, {
      subscriber_id: subscriber.id,
      ...target,
      lang,
      digest,
      ...newFollowTokens(),
    });
    if (follow.confirmed_at) return;
    const day = new Date().toISOString().slice(0, 10);
    await following.enqueue(trx, {
      kind: 'confirm',
      recipient: email,
      lang,
      idempotency_key: `confirm:${follow.id}:${day}:${email}`,
      follow_id: follow.id,
      subscriber_id: subscriber.id,
    });
  }

  async function subscriberOf(manageToken: unknown): Promise<Subscriber> {
    if (!isTokenShaped(manageToken)) throw new NotFoundError();
    const subscriber = await following.subscriberByToken('manage_token_hash', keys.hash(manageToken));
    if (!subscriber) throw new NotFoundError();
    return subscriber;
  }

  return {
    startFollow,

    /**
     * POST /follow: the reader's address and what they follow (one of `claim`, `candidate`, `election`,
     * a slug). The answer is the same whether the address already follows it or not.
     */
    async follow(request: FollowRequest): Promise<{ label: string; kind: FollowKind; slug: string }> {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const kind = FOLLOW_KINDS.find((k) => typeof body[k] === 'string' && body[k] !== '');
      if (!kind) throw new ValidationError({ _form: 'follow_target_missing' });
      const target = await following.target(kind, String(body[kind]).slice(0, 200));
      if (!target) throw new NotFoundError();
      const { email, digest } = parseOrThrow(followSchema, body);
      await limits.check('follow', [
        { kind: 'ip', value: request.ip, max: FOLLOWS_PER_IP_PER_HOUR, windowSeconds: 3600 },
        { kind: 'email', value: email, max: FOLLOWS_PER_EMAIL_PER_HOUR, windowSeconds: 3600 },
      ]);
      await db.transaction(async (trx) => {
        await limits.record(trx, 'follow', [
          { kind: 'ip', value: request.ip },
          { kind: 'email', value: email },
        ]);
        await startFollow(trx, email, request.lang, digest, {
          target_kind: kind,
          [`${kind}_id`]: target.id,
        });
      });
      return { label: target.label, kind, slug: target.slug };
    },

    /** The follow a confirmation link names (404 for anything else). */
    async pendingConfirmation(token: unknown): Promise<FollowView> {
      if (!isTokenShaped(token)) throw new NotFoundError();
      const follow = await following.followByToken('confirm_token_hash', keys.hash(token));
      if (!follow) throw new NotFoundError();
      return follow;
    },

    async confirm(token: unknown): Promise<{ follow: FollowView; manageToken: string }> {
      if (!isTokenShaped(token)) throw new NotFoundError();
      return db.transaction(async (trx) => {
        const follow = await following.followByToken('confirm_token_hash', keys.hash(token), trx);
        if (!follow) throw new NotFoundError();
        await following.confirm(trx, follow.id);
        const subscriber = await trx('subscribers').where({ id: follow.subscriber_id }).first('token_salt');
        return { follow, manageToken: keys.token('manage', subscriber.token_salt) };
      });
    },

    async unsubscribeTarget(token: unknown): Promise<{ labels: string[] }> {
      if (!isTokenShaped(token)) throw new NotFoundError();
      const follow = await following.followByToken('unsubscribe_token_hash', keys.hash(token));
      if (follow) return { labels: [follow.target_label ?? ''] };
      const subscriber = await following.subscriberByToken('digest_unsubscribe_token_hash', keys.hash(token));
      if (!subscriber) throw new NotFoundError();
      const digests = (await following.followsOf(subscriber.id)).filter((f) => f.digest);
      return { labels: digests.map((f) => f.target_label ?? '') };
    },

    /**
     * One-click unsubscribe (RFC 8058) and the button on the unsubscribe page: a follow's token ends that
     * follow, a digest's token ends every digest follow. Using a token again is harmless and answers alike.
     */
    async unsubscribe(token: unknown): Promise<void> {
      if (!isTokenShaped(token)) throw new NotFoundError();
      const hash = keys.hash(token);
      await db.transaction(async (trx) => {
        const follow = await following.followByToken('unsubscribe_token_hash', hash, trx);
        if (follow) {
          await following.deleteFollows(trx, follow.subscriber_id, [follow.id]);
          await following.deleteIfNoFollows(trx, follow.subscriber_id);
          return;
        }
        const subscriber = await trx('subscribers').where('digest_unsubscribe_token_hash', hash).first('id');
        if (!subscriber) throw new NotFoundError();
        const ids = (await following.followsOf(subscriber.id, trx)).filter((f) => f.digest).map((f) => f.id);
        await following.deleteFollows(trx, subscriber.id, ids);
        await following.deleteIfNoFollows(trx, subscriber.id);
      });
    },

    async manage(token: unknown): Promise<ManagePage> {
      const subscriber = await subscriberOf(token);
      return { subscriber, follows: await following.followsOf(subscriber.id), token: token as string };
    },

    /** Cancels the named follows (or all of them) of the reader the manage link belongs to. */
    async cancel(token: unknown, followIds: number[] | 'all'): Promise<{ remaining: number }> {
      const subscriber = await subscriberOf(token);
      return db.transaction(async (trx) => {
        await following.deleteFollows(trx, subscriber.id, followIds === 'all' ? undefined : followIds);
        const remaining = (await following.followsOf(subscriber.id, trx)).length;
        await following.deleteIfNoFollows(trx, subscriber.id);
        return { remaining };
      });
    },

    /** Deletion on request: the address, everything it follows, its queued and sent messages, on its tips. */
    async forget(token: unknown): Promise<void> {
      const subscriber = await subscriberOf(token);
      await db.transaction((trx) => following.deleteSubscriber(trx, subscriber));
    },
  };
}

export type FollowingService = ReturnType<typeof followingService>;
