import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createDb, type Db } from '../../src/db';
import { usersRepository } from '../../src/features/users/users.repository';
import { SYSTEM_ACTOR, usersService } from '../../src/features/users/users.service';
import { toAppError } from '../../src/lib/errors';
import { createLogger } from '../../src/lib/logger';
import { testConfig } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { createClaim, unique } from '../helpers/factories';
import { recordFigures } from './figures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a reader must never see, even when everything fails: stack frames, SQL, paths on the server. */
const LEAKS = [
  /\bat .*\.(ts|js):\d+/,
  /node_modules/,
  /\/work\//,
  /\bselect\b.*\bfrom\b/i,
  /\bpg_\w+/,
  /knex/i,
];
const UNAVAILABLE = 'Layanan sedang tidak tersedia';
/** "Within a few seconds": the pool waits at most 4 s for a connection, so nothing may take longer than 5 s. */
const ANSWER_WITHIN_MS = 5_000;

interface Answer {
  path: string;
  status: number;
  ms: number;
  helpful: boolean;
  leaks: boolean;
  retryAfter: string | null;
}

/** Asks for one page the way a reader's browser does, giving up (status 0) after 10 s. */
async function ask(base: string, path: string): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(base + path, {
      headers: { 'accept-language': 'id' },
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    return {
      path,
      status: res.status,
      ms: performance.now() - started,
      helpful: res.status !== 503 || body.includes(UNAVAILABLE),
      leaks: LEAKS.some((pattern) => pattern.test(body)),
      retryAfter: res.headers.get('retry-after'),
    };
  } catch {
    return {
      path,
      status: 0,
      ms: performance.now() - started,
      helpful: false,
      leaks: false,
      retryAfter: null,
    };
  }
}

/** Several readers asking for pages in a loop until the deadline. */
async function load(base: string, paths: string[], readers: number, untilMs: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: readers }, async (_, reader) => {
      for (let i = reader; performance.now() < untilMs; i++)
        answers.push(await ask(base, paths[i % paths.length]!));
    }),
  );
  return answers;
}

/** Tries until the page answers 200 (a stale pooled connection may cost a 503 or two), up to the deadline. */
async function recovered(base: string, path: string, withinMs = 10_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    if ((await ask(base, path)).status === 200) return performance.now() - started;
    await sleep(100);
  }
  throw new Error(`${path} did not recover within ${withinMs} ms`);
}

function expectGoodAnswers(answers: Answer[]) {
  const statuses = new Set(answers.map((a) => a.status));
  expect(
    [...statuses].every((s) => s === 200 || s === 503),
    `statuses seen: ${[...statuses]}`,
  ).toBe(true);
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(ANSWER_WITHIN_MS);
  expect(answers.filter((a) => !a.helpful)).toEqual([]);
  expect(answers.filter((a) => a.leaks)).toEqual([]);
  expect(answers.filter((a) => a.status === 503 && a.retryAfter !== '5')).toEqual([]);
}

function tally(answers: Answer[]) {
  return {
    requests: answers.length,
    ok: answers.filter((a) => a.status === 200).length,
    unavailable: answers.filter((a) => a.status === 503).length,
    other: answers.filter((a) => a.status !== 200 && a.status !== 503).length,
    slowest_ms: Math.round(Math.max(...answers.map((a) => a.ms))),
  };
}

/**
 * The database failing under a running app, on a PostgreSQL database of this file's own. Faults are
 * injected from a separate connection to the server's maintenance database, aimed only at this file's
 * database: the shared server keeps running for every other test.
 */
describe.skipIf(!testDatabaseUrl)('database faults (PostgreSQL)', () => {
  let database: TestDatabase;
  /** The app's own pool, made exactly as server.ts makes it (knex's warnings into a silent logger). */
  let appDb: Db;
  let name: string;
  let admin: Db;
  let server: http.Server;
  let base: string;
  let pages: string[];

  /** Ends every connection to this file's database; returns how many it ended. */
  async function terminateAll(onlyBusy = false): Promise<number> {
    const { rows } = await admin.raw<{ rows: { ended: boolean }[] }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = ? AND pid <> pg_backend_pid() ${onlyBusy ? "AND state IN ('active', 'idle in transaction')" : ''}`,
      [name],
    );
    return rows.filter((row) => row.ended).length;
  }

  /** Terminates connections every few milliseconds until the deadline; returns how many it ended. */
  async function terminateRepeatedly(untilMs: number, everyMs: number, onlyBusy = false): Promise<number> {
    let ended = 0;
    while (performance.now() < untilMs) {
      ended += await terminateAll(onlyBusy);
      await sleep(everyMs * (0.5 + Math.random()));
    }
    return ended;
  }

  async function allowConnections(allow: boolean) {
    await admin.raw(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    name = new URL(database.url!).pathname.slice(1);
    admin = createDb({ databaseUrl: testDatabaseUrl, poolMax: 1 });
    const claim = await createClaim(database.db);
    pages = ['/', '/claims', `/claims/${claim.slug}`, '/api/v1/claims'];
    const logger = createLogger({ level: 'silent' });
    appDb = createDb({ databaseUrl: database.url, logger });
    const app = buildApp({ config: testConfig(), db: appDb, logger });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const page of pages) expect((await ask(base, page)).status, page).toBe(200);
  });
  afterAll(async () => {
    await allowConnections(true).catch(() => {});
    await new Promise((resolve) => server?.close(resolve));
    await appDb?.destroy();
    await database?.destroy();
    await admin?.destroy();
  });

  it('the app connects with its statement and idle-in-transaction timeouts, and a statement past its timeout is a 503', async () => {
    const { rows } = await appDb.raw<{ rows: { statement: string; idle: string; zone: string }[] }>(
      "SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('TimeZone') AS zone",
    );
    expect(rows[0]).toEqual({ statement: '10s', idle: '30s', zone: 'UTC' });

    const impatient = createDb({
      databaseUrl: database.url,
      statementTimeoutMs: 200,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const started = performance.now();
      const error = await impatient.raw('SELECT pg_sleep(5)').catch((err: unknown) => err);
      expect((error as { code?: string }).code).toBe('57014');
      expect(toAppError(error)?.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await impatient.destroy();
    }
  });

  it('with every connection terminated again and again mid-load, pages answer 200 or a helpful 503 within seconds, then recover', async () => {
    const until = performance.now() + 4_000;
    const [answers, terminated] = await Promise.all([
      load(base, pages, 6, until),
      terminateRepeatedly(until, 100),
    ]);

    expect(terminated).toBeGreaterThan(10);
    expectGoodAnswers(answers);
    for (const page of pages) await recovered(base, page);
    // No pooled connection is left broken: once recovered, every page answers 200 again and again.
    for (const page of pages) for (let i = 0; i < 5; i++) expect((await ask(base, page)).status).toBe(200);
    recordFigures('terminated mid-load', { backends_terminated: terminated, ...tally(answers) });
  }, 60_000);

  it('one termination of every connection mid-load costs only the requests under way at that moment', async () => {
    const until = performance.now() + 3_000;
    const loading = load(base, pages, 6, until);
    await sleep(1_500);
    const terminated = await terminateAll();
    const answers = await loading;

    expect(terminated).toBeGreaterThan(0);
    expectGoodAnswers(answers);
    const { unavailable } = tally(answers);
    // Each of the 6 readers had at most one request under way; a page may run queries side by side.
    expect(unavailable).toBeLessThanOrEqual(6 * 3);
    // Once the terminated connections are gone from the pool, every page answers again.
    for (const page of pages) for (let i = 0; i < 5; i++) expect((await ask(base, page)).status).toBe(200);
    recordFigures('one termination mid-load', { backends_terminated: terminated, ...tally(answers) });
  }, 60_000);

  it('while the database refuses connections, pages answer a helpful 503 and /readyz says not ready; afterwards it recovers without a restart', async () => {
    let answers: Answer[] = [];
    let readiness: Answer[] = [];
    const outage = { started: 0, ended: 0 };
    try {
      const until = performance.now() + 6_000;
      const loading = load(base, pages, 4, until);
      const probing = load(base, ['/readyz'], 1, until);
      await sleep(1_000);
      await allowConnections(false);
      await terminateAll();
      outage.started = performance.now();
      await sleep(3_000);
      await allowConnections(true);
      outage.ended = performance.now();
      answers = await loading;
      readiness = await probing;
    } finally {
      await allowConnections(true);
    }

    expectGoodAnswers(answers);
    expect(answers.some((a) => a.status === 503)).toBe(true);
    expect(readiness.some((a) => a.status === 503)).toBe(true);
    const ready = await ask(base, '/readyz');
    expect(ready.status).toBe(200);
    for (const page of pages) await recovered(base, page);
    recordFigures('refusing connections under load', {
      outage_ms: Math.round(outage.ended - outage.started),
      readyz_503: readiness.filter((a) => a.status === 503).length,
      ...tally(answers),
    });
  }, 60_000);

  it('when the database is gone (renamed away), every kind of page answers a helpful 503 fast, and /readyz 503', async () => {
    const moved = `${name}_moved`;
    let renamed = false;
    try {
      for (let attempt = 0; attempt < 20 && !renamed; attempt++) {
        await terminateAll();
        renamed = await admin
          .raw(`ALTER DATABASE ${name} RENAME TO ${moved}`)
          .then(() => true)
          .catch(() => false);
      }
      expect(renamed).toBe(true);

      const answers = await Promise.all(pages.map((page) => ask(base, page)));
      expectGoodAnswers(answers);
      expect(answers.map((a) => a.status)).toEqual(pages.map(() => 503));
      expect(answers.every((a) => a.ms < 2_000)).toBe(true);
      const api = await fetch(`${base}/api/v1/claims`);
      expect(await api.json()).toEqual({
        error: { code: 'service_unavailable', message: UNAVAILABLE },
      });
      const ready = await ask(base, '/readyz');
      expect(ready.status).toBe(503);
    } finally {
      if (renamed) await admin.raw(`ALTER DATABASE ${moved} RENAME TO ${name}`);
    }
    for (const page of pages) await recovered(base, page);
    expect((await ask(base, '/readyz')).status).toBe(200);
  }, 60_000);

  it('a write interrupted by terminated connections is stored whole (account and audit row) or not at all', async () => {
    const accounts = usersService({ db: appDb, users: usersRepository(appDb) });
    const batch = unique('sela');
    const attempts = 60;
    const outcomes: ('stored' | 'failed')[] = [];
    const unexpected: unknown[] = [];
    let next = 0;
    let writing = true;

    const writers = Array.from({ length: 6 }, async () => {
      while (next < attempts) {
        const n = next++;
        try {
          await accounts.create(
            {
              email: `${batch}-${n}@redaksi.test`,
              display_name: `Akun ${n}`,
              role: 'reporter',
              password: 'kata-sandi-uji-yang-panjang',
            },
            SYSTEM_ACTOR,
          );
          outcomes[n] = 'stored';
        } catch (err) {
          outcomes[n] = 'failed';
          if (toAppError(err)?.status !== 503) unexpected.push(err);
        }
      }
    });
    // Aimed at connections in the middle of a statement or a transaction, and at everything, in turns.
    const terminator = (async () => {
      let ended = 0;
      for (let round = 0; writing; round++) {
        ended += await terminateAll(round % 2 === 0);
        await sleep(20 + Math.random() * 100);
      }
      return ended;
    })();
    await Promise.all(writers);
    writing = false;
    const terminated = await terminator;

    // Every failure was a clean "database unavailable", never an unknown error.
    expect(unexpected).toEqual([]);
    const users: { id: number; email: string }[] = await database
      .db('users')
      .where('email', 'like', `${batch}-%`)
      .select('id', 'email');
    const audits: { entity_id: number }[] = await database
      .db('audit_log')
      .where({ action: 'user.create', entity: 'user' })
      .whereIn('entity_id', database.db('users').select('id').where('email', 'like', `${batch}-%`))
      .select('entity_id');
    const orphanAudits = await database
      .db('audit_log')
      .where({ action: 'user.create', entity: 'user' })
      .whereNotIn('entity_id', database.db('users').select('id'));

    // Whole or nothing: one audit row for every stored account, none for an account that is not there.
    expect(audits.map((a) => a.entity_id).sort()).toEqual(users.map((u) => u.id).sort());
    expect(orphanAudits).toEqual([]);
    // Nothing acknowledged is lost: every create that reported success is stored.
    const stored = new Set(users.map((u) => u.email));
    const acknowledged = outcomes.flatMap((o, n) => (o === 'stored' ? [`${batch}-${n}@redaksi.test`] : []));
    expect(acknowledged.filter((email) => !stored.has(email))).toEqual([]);

    const failed = outcomes.filter((o) => o === 'failed').length;
    recordFigures('writes under terminated connections', {
      attempts,
      backends_terminated: terminated,
      acknowledged: acknowledged.length,
      failed_cleanly_503: failed,
      stored_although_reported_failed: users.length - acknowledged.length,
      partial_writes: 0,
      records_lost: 0,
    });
  }, 120_000);
});
