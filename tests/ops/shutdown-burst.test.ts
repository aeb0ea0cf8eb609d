import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN_HTTP_WARNING } from '../../src/config';
import { recordFigures } from '../faults/figures';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { connectAndSend, expectRefused, type RealServer, startRealServer } from '../helpers/real-server';

const NOT_READY = 'shutting down: not ready, still serving while load balancers notice (SHUTDOWN_DELAY_MS)';
const DRAINING = 'shutting down: finishing in-flight requests';
const BURST = 30;
const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 'a-session-secret-for-these-tests-only-0123' };

/**
 * Requests whose connections were made before SIGTERM, to the real compiled server: every one is
 * answered, and the process exits 0. Many of them are still in the listening socket's accept queue when
 * the signal arrives (the server is busy rendering the first ones), which closing the socket would reset.
 */
describe('a burst of requests just before SIGTERM', () => {
  let server: RealServer | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    server = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A database of its own: one on the PostgreSQL server under test, else an embedded data folder. */
  async function storage(): Promise<NodeJS.ProcessEnv> {
    if (testDatabaseUrl) {
      const database: TestDatabase = await createTestDatabase();
      cleanups.push(() => database.destroy());
      return { DATABASE_URL: database.url };
    }
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-burst-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    return { DATABASE_URL: '', DATA_DIR: dataDir };
  }

  async function burstThenSigterm(env: NodeJS.ProcessEnv, figures: string) {
    server = await startRealServer({ ...(await storage()), ...env });
    const { child, port, exited } = server;
    const { outcomes } = await connectAndSend(port, BURST, '/');
    // Every connection is made (the handshake is done) before the signal is sent.
    child.kill('SIGTERM');
    const results = await outcomes;
    const exit = await exited;
    // Answered means an HTTP response, whatever its status: on a starved machine a few of the 30 may
    // wait longer than the pool allows and get the 503 an overload gets; none may be reset or dropped.
    const answered = results.filter((outcome) => 'status' in outcome).length;
    const ok = results.filter((outcome) => 'status' in outcome && outcome.status === 200).length;
    recordFigures(figures, { sent: BURST, answered, answered_200: ok, exit_code: exit.code ?? -1 });
    // Every outcome is a response or an error: none may be an error.
    expect(results.filter((outcome) => 'error' in outcome)).toEqual([]);
    expect(exit).toMatchObject({ code: 0, signal: null });
    return results;
  }

  it('answers every one in development (no delay) and exits 0', async () => {
    await burstThenSigterm({ NODE_ENV: 'development' }, 'burst before SIGTERM, development');
    // An http: BASE_URL (the default) is no concern outside production.
    expect(server?.times(PLAIN_HTTP_WARNING)).toBe(0);
  }, 200_000);

  it('in production, turns readiness to 503 first, keeps serving through the delay, then answers every queued request', async () => {
    server = await startRealServer({ ...(await storage()), ...PRODUCTION, SHUTDOWN_DELAY_MS: '1500' });
    const { child, port, exited, logged } = server;
    // Its BASE_URL is the default, http://localhost:PORT: said once at start, before listening.
    expect(server.times(PLAIN_HTTP_WARNING)).toBe(1);
    const { outcomes } = await connectAndSend(port, BURST, '/');
    child.kill('SIGTERM');
    await logged(NOT_READY);

    // During the delay new connections are still accepted: readiness says 503, pages are served, and
    // every response closes its connection.
    const during = await connectAndSend(port, 2, '/readyz');
    const page = await connectAndSend(port, 1, '/');
    expect(await during.outcomes).toEqual([
      { status: 503, connection: 'close' },
      { status: 503, connection: 'close' },
    ]);
    expect(await page.outcomes).toEqual([{ status: 200, connection: 'close' }]);
    expect(child.exitCode).toBeNull();

    // Then the server stops listening, and what it had accepted is answered.
    await logged(DRAINING);
    await expectRefused(port);
    const results = await outcomes;
    const exit = await exited;
    expect(results.filter((outcome) => 'error' in outcome)).toEqual([]);
    expect(results.every((outcome) => 'status' in outcome && outcome.status === 200)).toBe(true);
    expect(exit).toMatchObject({ code: 0, signal: null });
  }, 200_000);

  it('answers every one in production with no delay configured (SHUTDOWN_DELAY_MS=0) and exits 0', async () => {
    await burstThenSigterm({ ...PRODUCTION, SHUTDOWN_DELAY_MS: '0' }, 'burst before SIGTERM, production');
  }, 200_000);

  // Several workers need a database server (WEB_CONCURRENCY above 1 refuses the embedded engine).
  it.skipIf(!testDatabaseUrl)(
    'answers every one with two cluster workers (WEB_CONCURRENCY=2) and exits 0',
    async () => {
      await burstThenSigterm(
        { ...PRODUCTION, SHUTDOWN_DELAY_MS: '0', WEB_CONCURRENCY: '2' },
        'burst before SIGTERM, two workers',
      );
      // The primary says it once for the whole cluster.
      expect(server?.times(PLAIN_HTTP_WARNING)).toBe(1);
    },
    200_000,
  );
});
