import type { Knex } from 'knex';
import type { Lang } from '../../lib/i18n';

export const FOLLOW_KINDS = ['claim', 'candidate', 'election'] as const;
export type FollowKind = (typeof FOLLOW_KINDS)[number];
export type TargetKind = FollowKind | 'tip';

export interface Subscriber {
  id: number;
  email: string;
  token_salt: string;
}

export interface Follow {
  id: number;
  subscriber_id: number;
  target_kind: TargetKind;
  lang: Lang;
  digest: boolean;
  token_salt: string;
  confirmed_at: Date | null;
  created_at: Date;
}

/** A follow with what it follows, for pages and messages. */
export interface FollowView extends Follow {
  email: string;
  /** The claim's title (or the start of its quote), the candidate's or the election's name, the tip's quote. */
  target_label: string | null;
  /** The public page of what is followed, when there is one (a tip has one once it became a published claim). */
  target_path: string | null;
}

export interface Target {
  kind: FollowKind;
  id: number;
  slug: string;
  label: string;
}

export type OutboxKind = 'confirm' | 'notify' | 'digest';

export interface NewMessage {
  kind: OutboxKind;
  recipient: string;
  lang: Lang;
  idempotency_key: string;
  follow_id?: number | null;
  subscriber_id?: number | null;
  status_update_id?: number | null;
  payload?: unknown;
}

const FOLLOW_VIEW_COLUMNS = `
  f.id, f.subscriber_id, f.target_kind, f.lang, f.digest, f.token_salt, f.confirmed_at, f.created_at,
  s.email,
  CASE f.target_kind
    WHEN 'claim' THEN coalesce(c.title, left(c.quote, 140))
    WHEN 'candidate' THEN ca.name
    WHEN 'election' THEN e.name
    ELSE left(coalesce(t.quote, t.note, t.url), 140)
  END AS target_label,
  CASE
    WHEN f.claim_id IS NOT NULL AND c.workflow_state IN ('published', 'retracted') THEN '/claims/' || c.slug
    WHEN f.target_kind = 'candidate' THEN '/candidates/' || ca.slug
    WHEN f.target_kind = 'election' THEN '/elections/' || e.slug
    ELSE NULL
  END AS target_path`;

const FOLLOW_VIEW_FROM = `
  follows f
  JOIN subscribers s ON s.id = f.subscriber_id
  LEFT JOIN claims c ON c.id = f.claim_id
  LEFT JOIN candidates ca ON ca.id = f.candidate_id
  LEFT JOIN elections e ON e.id = f.election_id
  LEFT JOIN tips t ON t.id = f.tip_id`;

export function followingRepository(db: Knex) {
  /**
   * Queues, in the caller's transaction, the news of a published status change for everyone who has
   * confirmed a follow of the claim, its candidate or its election: one message per address (the
   * idempotency key is the change and the address), or an item of tomorrow's digest.
   */
  async function announce(
    trx: Knex,
    change: { statusUpdateId: number; claimId: number; candidateId: number; electionId: number },
  ): Promise<void> {
    const { statusUpdateId, claimId, candidateId, electionId } = change;
    const matches = `f.confirmed_at IS NOT NULL AND (f.claim_id = ? OR f.candidate_id = ? OR f.election_id = ?)`;
    await trx.raw(
      `INSERT INTO outbox (kind, recipient, lang, idempotency_key, follow_id, subscriber_id, status_update_id)
       SELECT DISTINCT ON (s.email) 'notify', s.email, f.lang, 'status:' || ?::text || ':' || s.email, f.id, s.id, ?
         FROM follows f JOIN subscribers s ON s.id = f.subscriber_id
        WHERE NOT f.digest AND ${matches}
        ORDER BY s.email, f.target_kind = 'tip' DESC, f.id
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [statusUpdateId, statusUpdateId, claimId, candidateId, electionId],
    );
    await trx.raw(
      `INSERT INTO digest_items (follow_id, status_update_id)
       SELECT f.id, ? FROM follows f WHERE f.digest AND ${matches}
       ON CONFLICT DO NOTHING`,
      [statusUpdateId, claimId, candidateId, electionId],
    );
  }

  return {
    /** What a reader may follow: a published claim, a candidate, an election; by slug. */
    async target(kind: FollowKind, slug: string): Promise<Target | undefined> {
      if (kind === 'claim') {
        const row = await db('claims')
          .where({ slug, workflow_state: 'published' })
          .first('id', 'slug', db.raw('coalesce(title, left(quote, 140)) AS label'));
        return row && { kind, id: row.id, slug: row.slug, label: row.label };
      }
      const row = await db(kind === 'candidate' ? 'candidates' : 'elections')
        .where({ slug })
        .first('id', 'slug', 'name');
      return row && { kind, id: row.id, slug: row.slug, label: row.name };
    },

    /** The reader's row, made on first use (the address lower-cased by the caller). */
    async subscriber(
      trx: Knex,
      email: string,
      make: () => Pick<Subscriber, 'token_salt'> & {
        manage_token_hash: string;
        digest_unsubscribe_token_hash: string;
      },
    ): Promise<Subscriber> {
      await trx('subscribers')
        .insert({ email, ...make() })
        .onConflict('email')
        .ignore();
      return trx('subscribers').where({ email }).first('id', 'email', 'token_salt');
    },

    /** A new follow, or the one this reader already has of the same thing (then `created` is false). */
    async follow(
      trx: Knex,
      row: {
        subscriber_id: number;
        target_kind: TargetKind;
        claim_id?: number;
        candidate_id?: number;
        election_id?: number;
        tip_id?: number;
        lang: Lang;
        digest: boolean;
        token_salt: string;
        confirm_token_hash: string;
        unsubscribe_token_hash: string;
      },
    ): Promise<{ follow: Follow; created: boolean }> {
      const inserted: Follow[] = await trx
        .raw(
          `INSERT INTO follows (subscriber_id, target_kind, claim_id, candidate_id, election_id, tip_id, lang, digest,
                              token_salt, confirm_token_hash, unsubscribe_token_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING
         RETURNING id, subscriber_id, target_kind, lang, digest, token_salt, confirmed_at, created_at`,
          [
            row.subscriber_id,
            row.target_kind,
            row.claim_id ?? null,
            row.candidate_id ?? null,
            row.election_id ?? null,
            row.tip_id ?? null,
            row.lang,
            row.digest,
            row.token_salt,
            row.confirm_token_hash,
            row.unsubscribe_token_hash,
          ],
        )
        .then((result: { rows: Follow[] }) => result.rows);
      if (inserted[0]) return { follow: inserted[0], created: true };
      const existing = await trx('follows')
        .where({
          subscriber_id: row.subscriber_id,
          target_kind: row.target_kind,
          claim_id: row.claim_id ?? null,
          candidate_id: row.candidate_id ?? null,
          election_id: row.election_id ?? null,
          tip_id: row.tip_id ?? null,
        })
        .first(
          'id',
          'subscriber_id',
          'target_kind',
          'lang',
          'digest',
          'token_salt',
          'confirmed_at',
          'created_at',
        );
      return { follow: existing as Follow, created: false };
    },

    async enqueue(trx: Knex, message: NewMessage): Promise<void> {
      await trx('outbox')
        .insert({
          ...message,
          payload: message.payload === undefined ? null : JSON.stringify(message.payload),
        })
        .onConflict('idempotency_key')
        .ignore();
    },

    async followByToken(
      column: 'confirm_token_hash' | 'unsubscribe_token_hash',
      hash: string,
      trx: Knex = db,
    ): Promise<FollowView | undefined> {
      const { rows } = await trx.raw<{ rows: FollowView[] }>(
        `SELECT ${FOLLOW_VIEW_COLUMNS} FROM ${FOLLOW_VIEW_FROM} WHERE f.${column} = ?`,
        [hash],
      );
      return rows[0];
    },

    async subscriberByToken(
      column: 'manage_token_hash' | 'digest_unsubscribe_token_hash',
      hash: string,
    ): Promise<Subscriber | undefined> {
      return db('subscribers').where(column, hash).first('id', 'email', 'token_salt');
    },

    async followsOf(subscriberId: number, trx: Knex = db): Promise<FollowView[]> {
      const { rows } = await trx.raw<{ rows: FollowView[] }>(
        `SELECT ${FOLLOW_VIEW_COLUMNS} FROM ${FOLLOW_VIEW_FROM} WHERE f.subscriber_id = ? ORDER BY f.created_at, f.id`,
        [subscriberId],
      );
      return rows;
    },

    async followsById(ids: number[], trx: Knex = db): Promise<FollowView[]> {
      if (ids.length === 0) return [];
      const { rows } = await trx.raw<{ rows: FollowView[] }>(
        `SELECT ${FOLLOW_VIEW_COLUMNS} FROM ${FOLLOW_VIEW_FROM} WHERE f.id = ANY(?)`,
        [ids],
      );
      return rows;
    },

    async confirm(trx: Knex, followId: number): Promise<void> {
      await trx('follows')
        .where({ id: followId })
        .whereNull('confirmed_at')
        .update({ confirmed_at: trx.fn.now() });
    },

    async deleteFollows(trx: Knex, subscriberId: number, ids?: number[]): Promise<number> {
      const query = trx('follows').where({ subscriber_id: subscriberId });
      if (ids) query.whereIn('id', ids);
      return query.delete();
    },

    /**
     * Everything kept about an address: the reader's row (its follows go with it), its messages, and the
     * tips only they sent (a tip others sent too, merged into one, stays without their follow).
     */
    async deleteSubscriber(trx: Knex, subscriber: Subscriber): Promise<void> {
      await trx('outbox').where({ recipient: subscriber.email }).delete();
      await trx('tips')
        .where('received_count', 1)
        .whereIn(
          'id',
          trx('follows').where({ subscriber_id: subscriber.id }).whereNotNull('tip_id').select('tip_id'),
        )
        .delete();
      await trx('subscribers').where({ id: subscriber.id }).delete();
    },

    /** A reader left with nothing to follow is forgotten (their sent-message log stays for the cap). */
    async deleteIfNoFollows(trx: Knex, subscriberId: number): Promise<void> {
      await trx('subscribers')
        .where({ id: subscriberId })
        .whereNotExists(trx('follows').where({ subscriber_id: subscriberId }).select(trx.raw('1')))
        .delete();
    },

    announce,

    /**
     * A claim published with a verdict already approved (rated while still a draft, as a reader's tip
     * usually is): that verdict is news now, to the same readers as any published change.
     */
    async announcePublished(trx: Knex, claimId: number): Promise<void> {
      const latest:
        | { id: number; to_status: string; status: string; candidate_id: number; election_id: number }
        | undefined = await trx('status_updates as su')
        .join('status_reviews as r', 'r.status_update_id', 'su.id')
        .join('claims as c', 'c.id', 'su.claim_id')
        .where({ 'su.claim_id': claimId, 'r.decision': 'approved' })
        .orderBy([
          { column: 'r.created_at', order: 'desc' },
          { column: 'r.id', order: 'desc' },
        ])
        .first('su.id', 'su.to_status', 'c.status', 'c.candidate_id', 'c.election_id');
      if (!latest || latest.to_status !== latest.status) return;
      await announce(trx, {
        statusUpdateId: latest.id,
        claimId,
        candidateId: latest.candidate_id,
        electionId: latest.election_id,
      });
    },

    /** Tip follows of a tip now point at the claim it became, so that its verdict reaches the tipster. */
    async pointTipFollowsAt(trx: Knex, tipId: number, claimId: number): Promise<void> {
      await trx('follows').where({ tip_id: tipId }).update({ claim_id: claimId });
    },
  };
}

export type FollowingRepository = ReturnType<typeof followingRepository>;
