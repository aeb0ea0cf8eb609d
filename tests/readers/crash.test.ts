import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { startSmtp, type TestSmtp } from './smtp';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** The real server (tsx src/server.ts), its outbox worker sending to the test's SMTP server. */
async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const { BASE_URL: _viteBase, ...inherited } = process.env;
  const child = spawn(TSX, ['src/server.ts'], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        const match = /"port":(\d+).*"msg":"Kawal Janji is listening"/.exec(line);
        if (match) resolve(Number(match[1]));
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    void exited.then(() => reject(new Error(`server exited before listening:\n${stderr}`)));
    setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 150_000).unref();
  });
  return { child, url: `http://127.0.0.1:${port}`, exited };
}

describe('a server killed in the middle of sending', () => {
  let smtp: TestSmtp;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const servers: Server[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    if (testDatabaseUrl) database = await createTestDatabase();
    else dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-crash-'));
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await smtp?.close();
    await database?.destroy();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('sends every queued message once after a kill -9 and a restart: none lost, none twice', async () => {
    const env = {
      SMTP_URL: smtp.url,
      MAIL_LEASE_SECONDS: '2',
      ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir! }),
    };
    const first = await startServer(env);
    servers.push(first);

    // Hold every message until all the follows are in, then kill the server as the 8th message
    // arrives, leaving it and the rest of its batch unanswered.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let killed = false;
    smtp.beforeAccept = async (count) => {
      if (killed) return 'drop';
      await gate;
      if (count < 8) return 'accept';
      if (!killed) {
        killed = true;
        // Long enough for the accepted messages' 'sent' marks to be committed.
        setTimeout(() => first.child.kill('SIGKILL'), 300);
      }
      return 'drop';
    };

    const elections = await request(first.url).get('/api/v1/elections').expect(200);
    const slug = elections.body.data[0].slug as string;
    const emails = Array.from({ length: 30 }, (_, i) => `pembaca-${i}@example.org`);
    for (const [i, email] of emails.entries()) {
      await request(first.url)
        .post('/follow')
        .set('Sec-Fetch-Site', 'same-origin')
        .set('X-Forwarded-For', `192.0.2.${i + 1}`)
        .type('form')
        .send(`election=${slug}&email=${encodeURIComponent(email)}`)
        .expect(200);
    }
    release();
    await first.exited;
    expect(killed).toBe(true);
    const acceptedBeforeKill = smtp.received.length;
    expect(acceptedBeforeKill).toBe(7);

    const second = await startServer(env);
    servers.push(second);
    smtp.beforeAccept = async () => 'accept';
    await smtp.waitFor(30, 60_000);
    // Long enough for another round of leases to run out, had anything been left behind.
    await sleep(4_000);
    const counts = new Map<string, number>();
    for (const message of smtp.received) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...emails].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 240_000);
});
