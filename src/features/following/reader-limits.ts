import type { Knex } from 'knex';
import { TooManyRequestsError } from '../../lib/errors';
import type { ReaderKeys } from './reader-keys';

export interface Limit {
  kind: 'ip' | 'email';
  value: string;
  max: number;
  windowSeconds: number;
}

/**
 * How often one IP address or one email may write (follow, send a tip), counted in the database so that
 * every instance sees the same counts. Only keyed hashes are stored; rows older than a day are deleted
 * by the outbox worker's upkeep.
 */
export function readerLimits(db: Knex, keys: ReaderKeys) {
  return {
    /** Throws 429 (with the seconds until the oldest counted request leaves its window) when over a limit. */
    async check(action: string, limits: Limit[]): Promise<void> {
      let wait = 0;
      for (const limit of limits) {
        const { rows } = await db.raw<{ rows: { count: number; wait: number | null }[] }>(
          `SELECT count(*) AS count,
                  extract(epoch FROM min(created_at) + make_interval(secs => ?) - now()) AS wait
             FROM reader_requests
            WHERE action = ? AND key_hash = ? AND created_at > now() - make_interval(secs => ?)`,
          [limit.windowSeconds, action, keys.keyed(limit.kind, limit.value), limit.windowSeconds],
        );
        const row = rows[0]!;
        if (Number(row.count) >= limit.max) wait = Math.max(wait, Math.ceil(Number(row.wait ?? 1)), 1);
      }
      if (wait > 0) throw new TooManyRequestsError('reader_throttled', wait);
    },

    async record(trx: Knex, action: string, limits: Pick<Limit, 'kind' | 'value'>[]): Promise<void> {
      if (limits.length === 0) return;
      await trx('reader_requests').insert(
        limits.map((limit) => ({ action, key_hash: keys.keyed(limit.kind, limit.value) })),
      );
    },
  };
}

export type ReaderLimits = ReturnType<typeof readerLimits>;
