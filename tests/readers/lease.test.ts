import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRepository } from '../../src/features/following/outbox.repository';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('leasing a batch of the outbox', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('takes one batch, however stale the statistics, when one change queues thousands', async () => {
    const { db } = database;
    const queue = (prefix: string) =>
      db.raw(
        `INSERT INTO outbox (kind, recipient, lang, idempotency_key)
         SELECT 'notify', 'pembaca-' || n || '@example.org', 'id', ? || n
           FROM generate_series(1, 3000) AS n`,
        [prefix],
      );
    // The statistics of an outbox emptied since (old messages deleted, then analysed), until one status
    // change fills it again: the planner believed no row was due and, with the batch's LIMIT inside an
    // IN (…), ran that subquery once per outbox row, minutes for 10,000 rows, and leased them all.
    await queue('earlier:');
    await db('outbox').delete();
    await db.raw('ANALYZE outbox');
    await queue('lease-test:');
    const outbox = outboxRepository(db);
    const started = performance.now();
    const first = await outbox.lease(50, 60);
    const seconds = (performance.now() - started) / 1000;

    expect(first).toHaveLength(50);
    expect(first.map((row) => row.recipient)).toEqual(
      Array.from({ length: 50 }, (_, i) => `pembaca-${i + 1}@example.org`),
    );
    const { rows: states } = await db.raw<{ rows: { state: string; count: number }[] }>(
      'SELECT state, count(*)::int AS count FROM outbox GROUP BY state ORDER BY state',
    );
    expect(states.map((row) => [row.state, row.count])).toEqual([
      ['pending', 2950],
      ['sending', 50],
    ]);
    // A batch is one index range, not a scan per row (seconds for 3,000 rows before).
    expect(seconds).toBeLessThan(1);

    const second = await outbox.lease(50, 60);
    expect(second.map((row) => row.recipient)[0]).toBe('pembaca-51@example.org');
    expect(new Set([...first, ...second].map((row) => row.id)).size).toBe(100);
  });
});
