import type { Knex } from 'knex';
import type { Logger } from '../../lib/logger';
import type { MailTransport, OutgoingMessage } from '../mail/mail.transport';
import { followingRepository } from './following.repository';
import { confirmationMessage, digestMessage, type Links, notificationMessage } from './messages';
import { type OutboxRow, outboxRepository } from './outbox.repository';
import type { ReaderKeys } from './reader-keys';

export interface OutboxWorkerOptions {
  db: Knex;
  transport: MailTransport;
  keys: ReaderKeys;
  baseUrl: string;
  siteName: string;
  logger: Logger;
  /** The embedded engine: one process owns the database, so 'sending' rows at start are a dead process's. */
  embedded: boolean;
  leaseSeconds: number;
  tipRetentionDays: number;
  /** The first retry's delay; each further one doubles, up to an hour. */
  retrySeconds?: number;
  batchSize?: number;
  pollMs?: number;
  /** Messages sent at once (the SMTP pool's connections). */
  concurrency?: number;
  /** The most messages one address receives in a day; the rest are kept as 'capped', unsent. */
  dailyCap?: number;
  /** Refusals by the SMTP server before a message is given up as 'failed'. */
  maxAttempts?: number;
}

/** Errors where the SMTP server never answered (down, unreachable, timed out): not the message's fault. */
function isOutage(err: unknown): boolean {
  return typeof (err as { responseCode?: unknown })?.responseCode !== 'number';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The worker inside the app that sends the outbox. It leases a batch, renders each message (with links
 * whose tokens it derives again), sends it and marks it sent at once, one message at a time per
 * connection. Guarantee: every queued message is delivered at least once, and sent twice only when the
 * process dies in the moment between the SMTP server's acceptance and the commit of its 'sent' mark
 * (the repeat carries the same Message-ID); see docs/READERS.md.
 */
export function outboxWorker(options: OutboxWorkerOptions) {
  const {
    db,
    transport,
    logger,
    embedded,
    leaseSeconds,
    retrySeconds = 30,
    batchSize = 50,
    pollMs = 1_000,
    concurrency = 4,
    dailyCap = 20,
    maxAttempts = 8,
  } = options;
  const outbox = outboxRepository(db);
  const following = followingRepository(db);
  const links: Links = { baseUrl: options.baseUrl, siteName: options.siteName, keys: options.keys };
  // A send in flight may take up to the transport's socket timeout; never start one that could outlive the lease.
  const marginMs = Math.min(25_000, (leaseSeconds * 1000) / 2);

  let running = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let outages = 0;
  let lastUpkeep = 0;

  type Prepared = { row: OutboxRow; message?: Omit<OutgoingMessage, 'to'>; skip?: 'cancelled' | 'capped' };

  async function prepare(rows: OutboxRow[]): Promise<Prepared[]> {
    const follows = new Map(
      (await following.followsById(rows.flatMap((r) => (r.follow_id ? [r.follow_id] : [])))).map((f) => [
        f.id,
        f,
      ]),
    );
    const salts = await outbox.subscriberSalts(
      rows.flatMap((r) => (r.subscriber_id ? [r.subscriber_id] : [])),
    );
    const changeIds = rows.flatMap((r) => [
      ...(r.status_update_id ? [r.status_update_id] : []),
      ...(r.payload?.status_update_ids ?? []),
    ]);
    const changes = await outbox.changes([...new Set(changeIds)]);
    const sent = await outbox.sentToday([...new Set(rows.map((r) => r.recipient))]);
    return rows.map((row): Prepared => {
      const salt = row.subscriber_id ? salts.get(row.subscriber_id) : undefined;
      const follow = row.follow_id ? follows.get(row.follow_id) : undefined;
      let message: Omit<OutgoingMessage, 'to'> | undefined;
      if (salt && row.kind === 'confirm' && follow && !follow.confirmed_at) {
        message = confirmationMessage(follow, salt, row.idempotency_key, links);
      } else if (salt && row.kind === 'notify' && follow?.confirmed_at) {
        const change = changes.get(row.status_update_id ?? -1);
        if (change) message = notificationMessage(follow, salt, change, row.idempotency_key, links);
      } else if (salt && row.kind === 'digest') {
        const told = (row.payload?.status_update_ids ?? []).flatMap((id) => changes.get(id) ?? []);
        if (told.length) message = digestMessage(row.lang, salt, told, row.idempotency_key, links);
      }
      // Unsubscribed, confirmed already, or the claim no longer public since the message was queued.
      if (!message) return { row, skip: 'cancelled' };
      const count = sent.get(row.recipient) ?? 0;
      if (count >= dailyCap) return { row, skip: 'capped' };
      sent.set(row.recipient, count + 1);
      return { row, message };
    });
  }

  /** One batch: returns how many messages it took from the queue. */
  async function sendBatch(): Promise<number> {
    const leasedAt = Date.now();
    const rows = await outbox.lease(batchSize, leaseSeconds);
    if (rows.length === 0) return 0;
    const deadline = leasedAt + leaseSeconds * 1000 - marginMs;
    const prepared = await prepare(rows);
    const skip = (state: 'cancelled' | 'capped') =>
      prepared.filter((p) => p.skip === state).map((p) => p.row.id);
    await outbox.finish(skip('cancelled'), 'cancelled');
    await outbox.finish(skip('capped'), 'capped', 'daily cap for this address reached');

    const queue = prepared.filter((p) => p.message);
    const unsent: number[] = [];
    let outage: unknown;
    const runner = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { row, message } = next;
        if (stopping || outage || Date.now() > deadline) {
          unsent.push(row.id);
          continue;
        }
        try {
          await transport.send({ ...message!, to: row.recipient });
        } catch (err) {
          if (isOutage(err)) {
            outage ??= err;
            unsent.push(row.id);
          } else if (row.attempts >= maxAttempts) {
            logger.warn(
              { outboxId: row.id, err: describe(err) },
              'email refused for the last time; giving up',
            );
            await outbox.finish([row.id], 'failed', describe(err));
          } else {
            const delay = Math.min(retrySeconds * 2 ** (row.attempts - 1), 3600);
            await outbox.retryLater([row.id], delay, describe(err));
          }
          continue;
        }
        await outbox.markSent(row.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, runner));

    if (outage) {
      outages += 1;
      const delay = Math.min(retrySeconds * 2 ** (outages - 1), 600);
      logger.warn(
        { err: describe(outage), retryInSeconds: delay, messages: unsent.length },
        'SMTP unavailable',
      );
      await outbox.release(unsent, delay, describe(outage));
    } else {
      outages = 0;
      await outbox.release(unsent, 0);
    }
    return rows.length;
  }

  async function upkeep(now: Date): Promise<void> {
    const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const made = await outbox.makeDigests(cutoff, cutoff.toISOString().slice(0, 10));
    if (made) logger.info({ digests: made }, 'daily digests queued');
    await outbox.deleteExpired(options.tipRetentionDays);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function run(): Promise<void> {
    if (embedded) await outbox.releaseAbandoned();
    while (!stopping) {
      let taken = 0;
      try {
        if (Date.now() - lastUpkeep > 60_000) {
          lastUpkeep = Date.now();
          await upkeep(new Date());
        }
        taken = await sendBatch();
      } catch (err) {
        // The database away for a moment: try again after the usual pause.
        logger.warn({ err: describe(err) }, 'outbox worker: a round failed');
      }
      if (taken === 0 && !stopping) await sleep(pollMs);
    }
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      stopping = false;
      loop = run();
    },

    /** Stops taking batches; messages of the batch under way that were not sent go back to the queue. */
    async stop(): Promise<void> {
      stopping = true;
      wake?.();
      await loop;
      running = false;
      transport.close();
    },

    /** Sends batches until nothing is due (for tests and the benchmark, without the loop). */
    async drain(): Promise<number> {
      let total = 0;
      for (let taken = await sendBatch(); taken > 0; taken = await sendBatch()) total += taken;
      return total;
    },

    upkeep,
  };
}

export type OutboxWorker = ReturnType<typeof outboxWorker>;
