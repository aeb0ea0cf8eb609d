import type { Knex } from 'knex';
import type { Lang } from '../../lib/i18n';
import type { OutboxKind } from './following.repository';
import type { ChangeNews } from './messages';

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  recipient: string;
  lang: Lang;
  idempotency_key: string;
  follow_id: number | null;
  subscriber_id: number | null;
  status_update_id: number | null;
  payload: { status_update_ids?: number[] } | null;
  attempts: number;
  lease_until: Date;
}

export function outboxRepository(db: Knex) {
  /** Leased messages back to 'pending', due after `delaySeconds`, with `changes` on top. */
  async function requeue(
    ids: number[],
    delaySeconds: number,
    changes: Record<string, unknown>,
  ): Promise<void> {
    if (ids.length === 0) return;
    await db('outbox')
      .whereIn('id', ids)
      .andWhere({ state: 'sending' })
      .update({
        state: 'pending',
        lease_until: null,
        next_attempt_at: db.raw('now() + make_interval(secs => ?)', [delaySeconds]),
        ...changes,
      });
  }

  return {
    /**
     * Takes up to `limit` messages that are due (or whose last holder's lease ran out: a process that
     * died mid-batch) and leases them to this worker. SKIP LOCKED lets instances take batches side by
     * side without waiting for each other or taking the same row. The batch is chosen once, in a
     * MATERIALIZED CTE: as `WHERE id IN (SELECT … LIMIT …)`, a planner misled by stale statistics (an
     * outbox analysed while empty, then filled by one change) ran the subquery once per row, which took
     * minutes for 10,000 messages and leased every one of them.
     */
    async lease(limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
      const { rows } = await db.raw<{ rows: OutboxRow[] }>(
        `WITH due AS MATERIALIZED (
           SELECT id FROM outbox
            WHERE (state = 'pending' AND next_attempt_at <= now())
               OR (state = 'sending' AND lease_until < now())
            ORDER BY next_attempt_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED)
         UPDATE outbox o SET state = 'sending', attempts = o.attempts + 1,
                lease_until = now() + make_interval(secs => ?)
           FROM due
          WHERE o.id = due.id
          RETURNING o.id, o.kind, o.recipient, o.lang, o.idempotency_key, o.follow_id, o.subscriber_id,
                    o.status_update_id, o.payload, o.attempts, o.lease_until`,
        [limit, leaseSeconds],
      );
      return rows.sort((a, b) => Number(a.id) - Number(b.id));
    },

    /**
     * On the embedded engine only this process can open the database, so a message left 'sending' can
     * only belong to a process that has died: it is due again at once instead of after its lease.
     */
    async releaseAbandoned(): Promise<number> {
      return db('outbox')
        .where({ state: 'sending' })
        .update({ state: 'pending', next_attempt_at: db.fn.now() });
    },

    async markSent(id: number): Promise<void> {
      await db('outbox')
        .where({ id, state: 'sending' })
        .update({ state: 'sent', sent_at: db.fn.now(), lease_until: null, last_error: null });
    },

    /** A refusal: back to the queue after `delaySeconds`, the attempt counted. */
    async retryLater(ids: number[], delaySeconds: number, error: string): Promise<void> {
      await requeue(ids, delaySeconds, { last_error: error.slice(0, 500) });
    },

    /**
     * Back to the queue without counting an attempt: the worker is stopping or its lease ran short, or
     * the SMTP server could not be reached (no refusal of the message itself), then after `delaySeconds`.
     */
    async release(ids: number[], delaySeconds: number, error?: string): Promise<void> {
      await requeue(ids, delaySeconds, {
        attempts: db.raw('greatest(attempts - 1, 0)'),
        ...(error ? { last_error: error.slice(0, 500) } : {}),
      });
    },

    async finish(ids: number[], state: 'failed' | 'capped' | 'cancelled', error?: string): Promise<void> {
      if (ids.length === 0) return;
      await db('outbox')
        .whereIn('id', ids)
        .andWhere({ state: 'sending' })
        .update({ state, lease_until: null, last_error: error?.slice(0, 500) ?? null });
    },

    /** Messages sent to each address within the last day, for the per-address cap. */
    async sentToday(recipients: string[]): Promise<Map<string, number>> {
      if (recipients.length === 0) return new Map();
      const rows: { recipient: string; count: number }[] = await db('outbox')
        .select('recipient')
        .count({ count: '*' })
        .where({ state: 'sent' })
        .whereIn('recipient', recipients)
        .andWhere('sent_at', '>', db.raw("now() - interval '1 day'"))
        .groupBy('recipient');
      return new Map(rows.map((row) => [row.recipient, Number(row.count)]));
    },

    async subscriberSalts(ids: number[]): Promise<Map<number, string>> {
      if (ids.length === 0) return new Map();
      const rows: { id: number; token_salt: string }[] = await db('subscribers')
        .whereIn('id', ids)
        .select('id', 'token_salt');
      return new Map(rows.map((row) => [row.id, row.token_salt]));
    },

    /** The published status changes named, as messages tell them. */
    async changes(statusUpdateIds: number[]): Promise<Map<number, ChangeNews>> {
      if (statusUpdateIds.length === 0) return new Map();
      const { rows } = await db.raw<{ rows: ChangeNews[] }>(
        `SELECT su.id AS status_update_id, coalesce(r.applied_from_status, su.from_status) AS from_status, su.to_status, su.note, r.created_at AS approved_at,
                c.slug AS claim_slug, coalesce(c.title, left(c.quote, 140)) AS claim_label,
                ca.name AS candidate_name
           FROM status_updates su
           JOIN status_reviews r ON r.status_update_id = su.id AND r.decision = 'approved'
           JOIN claims c ON c.id = su.claim_id
           JOIN candidates ca ON ca.id = c.candidate_id
          WHERE su.id = ANY(?) AND c.workflow_state = 'published'`,
        [statusUpdateIds],
      );
      return new Map(rows.map((row) => [row.status_update_id, row]));
    },

    /**
     * The daily digest: every reader's waiting items from before `cutoff` become one message (keyed by
     * the day and the address), and the items go, in one transaction. Changes already sent to that
     * address one by one (through another follow) are left out.
     */
    async makeDigests(cutoff: Date, day: string): Promise<number> {
      return db.transaction(async (trx) => {
        const { rows } = await trx.raw<{ rows: { id: number }[] }>(
          `INSERT INTO outbox (kind, recipient, lang, idempotency_key, subscriber_id, payload)
           SELECT 'digest', s.email, min(f.lang), 'digest:' || ?::text || ':' || s.email, s.id,
                  jsonb_build_object('status_update_ids', jsonb_agg(DISTINCT d.status_update_id))
             FROM digest_items d
             JOIN follows f ON f.id = d.follow_id
             JOIN subscribers s ON s.id = f.subscriber_id
            WHERE d.created_at < ?
              AND NOT EXISTS (SELECT 1 FROM outbox o
                               WHERE o.idempotency_key = 'status:' || d.status_update_id::text || ':' || s.email)
            GROUP BY s.id, s.email
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id`,
          [day, cutoff],
        );
        await trx('digest_items').where('created_at', '<', cutoff).delete();
        return rows.length;
      });
    },

    /**
     * Retention: sent and settled messages after 30 days, request counters after a day, unconfirmed
     * follows after 7 days, tips after `tipDays`, and readers left with nothing to follow.
     */
    async deleteExpired(tipDays: number): Promise<void> {
      await db('outbox')
        .whereIn('state', ['sent', 'failed', 'capped', 'cancelled'])
        .andWhere('created_at', '<', db.raw("now() - interval '30 days'"))
        .delete();
      await db('reader_requests').where('created_at', '<', db.raw("now() - interval '1 day'")).delete();
      await db('follows')
        .whereNull('confirmed_at')
        .andWhere('created_at', '<', db.raw("now() - interval '7 days'"))
        .delete();
      await db('tips')
        .where('created_at', '<', db.raw('now() - make_interval(days => ?)', [tipDays]))
        .delete();
      await db('subscribers')
        .whereNotExists(db('follows').whereRaw('follows.subscriber_id = subscribers.id').select(db.raw('1')))
        .andWhere('created_at', '<', db.raw("now() - interval '7 days'"))
        .delete();
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
