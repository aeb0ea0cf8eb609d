import { describe, expect, it } from 'vitest';
import { listenForChanges } from '../../src/lib/change-feed';
import { createLogger } from '../../src/lib/logger';
import { createTestDatabaseContext } from '../helpers/context';
import { createClaim } from '../helpers/factories';

/** Waits until the feed hears changes (its LISTEN is up), for at most 10 s. */
async function live(feed: { live: boolean }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!feed.live) {
    if (Date.now() > deadline) throw new Error('the change feed never started listening');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the change feed (LISTEN/NOTIFY)', () => {
  const ctx = createTestDatabaseContext();

  it('tells every subscriber which table changed, and stops telling one that unsubscribed', async () => {
    const feed = listenForChanges(ctx.db, createLogger({ level: 'silent' }));
    if (!feed) throw new Error('no change feed on this engine');
    try {
      await live(feed);
      const left: (string | undefined)[] = [];
      const stayed: (string | undefined)[] = [];
      const record = (into: (string | undefined)[]) => (table: string | undefined) => into.push(table);
      const unsubscribe = feed.subscribe(record(left));
      // The same function twice is two subscriptions: ending one leaves the other.
      const same = record(stayed);
      feed.subscribe(same);
      const second = feed.subscribe(same);
      const heard = new Promise<void>((resolve) =>
        feed.subscribe((table) => table === 'claims' && resolve()),
      );

      unsubscribe();
      second();
      await createClaim(ctx.db);
      await heard;

      expect(left).toEqual([]);
      expect(stayed).toContain('claims');
    } finally {
      await feed.close();
    }
  });
});
