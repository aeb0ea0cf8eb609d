import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { compiled } from '../helpers/compiled';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { createRatedClaim } from '../helpers/public-factories';

const ROOT = path.resolve(import.meta.dirname, '../..');
const compiledServer = compiled('server');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: NodeJS.ProcessEnv): Started {
  // Vitest puts Vite's BASE_URL ('/') into the environment; the server must not read it as ours.
  const { BASE_URL: _base, DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(compiledServer.command, compiledServer.args, {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('WEB_CONCURRENCY', () => {
  it('refuses more than one process on the embedded database, with a message saying why', async () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '2' })).toThrow(/WEB_CONCURRENCY.*DATABASE_URL/);
    expect(
      loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://x@localhost/y' }).webConcurrency,
    ).toBe(2);
    expect(loadConfig({}).webConcurrency).toBe(1);
    const server = start({ WEB_CONCURRENCY: '3', PORT: '0', DATA_DIR: path.join(ROOT, 'data-never-made') });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('WEB_CONCURRENCY above 1 needs DATABASE_URL');
  }, 60_000);
});

describe.skipIf(!testDatabaseUrl)('cluster mode on PostgreSQL (skipped on the embedded engine)', () => {
  let database: TestDatabase;
  let server: Started | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.destroy();
  });

  it('serves one port from several workers, each listening for changes, and stops them all on SIGTERM', async () => {
    const { claim } = await createRatedClaim(database.db, { status: 'true' });
    const port = await unusedPort();
    server = start({
      WEB_CONCURRENCY: '2',
      PORT: String(port),
      DATABASE_URL: database.url,
      PAGE_CACHE: 'on',
    });
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    const listeners = async () =>
      (
        await database.db.raw(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE application_name = 'kawal-janji-listen' AND datname = current_database()`,
        )
      ).rows[0].n as number;
    // Both workers up: each has its own LISTEN connection (the primary has none).
    while ((await listeners()) < 2) {
      if (Date.now() > deadline || server.child.exitCode !== null) {
        throw new Error(`the workers did not start:\n${server.output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await listeners()).toBe(2);
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${origin}/claims/${claim.slug}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // A change reaches every worker's cache at once.
    await database
      .db('claims')
      .where({ id: claim.id })
      .update({ summary: 'Ringkasan yang baru saja diubah', updated_at: database.db.fn.now() });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${origin}/claims/${claim.slug}`);
      expect(await response.text()).toContain('Ringkasan yang baru saja diubah');
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('starting workers (WEB_CONCURRENCY)');
    expect(await listeners()).toBe(0);
  }, 120_000);
});

/**
 * A port for the workers to share, below Linux's ephemeral range (32768 and up), where the tests' own
 * outgoing connections take their local ports: a port drawn from that range was once already in use
 * when the workers came to listen (EADDRINUSE). Checked free before it is handed out.
 */
async function unusedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
