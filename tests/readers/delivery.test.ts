import { afterAll, describe, expect, it } from 'vitest';
import { createClaim, unique } from '../helpers/factories';
import { useNewsroomApp } from '../helpers/newsroom';
import { follow, testWorker } from './helpers';
import { startSmtp, type TestSmtp } from './smtp';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('delivery when the SMTP server is down or refuses', () => {
  const ctx = useNewsroomApp();
  let smtp: TestSmtp | undefined;
  afterAll(async () => {
    await smtp?.close();
  });

  /** Follows of one claim by `n` new addresses: `n` confirmations in the outbox. */
  async function queueConfirmations(n: number): Promise<string[]> {
    const claim = await createClaim(ctx.db);
    const emails = Array.from({ length: n }, () => `${unique('antre')}@example.org`);
    for (const [i, email] of emails.entries()) {
      await follow(ctx.app, { claim: claim.slug, email }, `192.0.2.${i + 1}`).expect(200);
    }
    return emails;
  }

  async function drainUntil(worker: ReturnType<typeof testWorker>, done: () => boolean) {
    const until = Date.now() + 20_000;
    while (!done()) {
      if (Date.now() > until) throw new Error('the messages did not all arrive');
      await worker.drain();
      await sleep(100);
    }
  }

  it('keeps the messages while the server is down and delivers each once when it is back', async () => {
    // A port with nothing listening on it: the SMTP server is down.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const worker = testWorker(ctx.db, ctx.config, `smtp://127.0.0.1:${port}`);
    const emails = await queueConfirmations(6);

    await worker.drain();
    const waiting = await ctx.db('outbox').whereIn('recipient', emails);
    expect(waiting.map((row) => row.state)).toEqual(Array(6).fill('pending'));
    expect(waiting.every((row) => row.last_error && row.next_attempt_at > new Date())).toBe(true);

    smtp = await startSmtp(port);
    const server = smtp;
    await drainUntil(worker, () => server.received.length >= 6);
    await sleep(1_500);
    await worker.drain();
    expect(server.received.map((m) => m.to).sort()).toEqual([...emails].sort());
    const sent = await ctx.db('outbox').whereIn('recipient', emails).pluck('state');
    expect(sent).toEqual(Array(6).fill('sent'));
    await worker.stop();
  });

  it('retries a message the server refused for a while (421), and delivers it once', async () => {
    smtp ??= await startSmtp();
    const server = smtp;
    const worker = testWorker(ctx.db, ctx.config, server.url);
    server.refuse = true;
    const emails = await queueConfirmations(3);
    await worker.drain();
    const refused = await ctx.db('outbox').whereIn('recipient', emails);
    expect(refused.map((row) => [row.state, row.attempts])).toEqual(Array(3).fill(['pending', 1]));
    expect(refused[0].last_error).toMatch(/421/);

    server.refuse = false;
    const before = server.received.length;
    await drainUntil(worker, () => server.received.length >= before + 3);
    await sleep(1_500);
    await worker.drain();
    const arrived = server.received.slice(before).map((m) => m.to);
    expect(arrived.sort()).toEqual([...emails].sort());
    await worker.stop();
  });

  it('gives a message up as failed after the last refusal, and sends the others', async () => {
    smtp ??= await startSmtp();
    const server = smtp;
    const worker = testWorker(ctx.db, ctx.config, server.url, { maxAttempts: 1 });
    server.refuse = true;
    const [email] = await queueConfirmations(1);
    await worker.drain();
    server.refuse = false;
    const row = await ctx.db('outbox').where({ recipient: email }).first();
    expect(row.state).toBe('failed');
    await worker.stop();
  });
});
