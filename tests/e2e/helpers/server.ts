import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { buildApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createDb, type Db, migrateLatest, pgliteOptions } from '../../../src/db';
import { createLogger } from '../../../src/lib/logger';
import { loadSeedIfEmpty } from '../../../src/lib/seed-runner';

export interface E2eServer {
  baseUrl: string;
  db: Db;
  stop(): Promise<void>;
}

export interface E2eServerOptions {
  /** Starts the app's own outbox worker, sending readers' email to this SMTP server (smtp://host:port). */
  smtpUrl?: string;
}

/**
 * The real app on a random port, on a fresh database of its own (a new database on the PostgreSQL server
 * named by TEST_DATABASE_URL, else an embedded one in a temporary folder), migrated and seeded. Readers'
 * email is queued but not sent unless `smtpUrl` is given.
 */
export async function startServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  const { db, dropDatabase } = await freshDatabase();

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  // The app's own log is off; E2E_LOG_LEVEL=error (or warn, info) shows it when a journey needs explaining.
  const level = process.env.E2E_LOG_LEVEL ?? 'silent';
  const config = loadConfig({
    NODE_ENV: 'test',
    BASE_URL: baseUrl,
    LOG_LEVEL: level,
    PORT: String(port),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
  });
  const mailWorker = options.smtpUrl !== undefined;
  server.on('request', buildApp({ config, db, logger: createLogger({ level }), mailWorker }));

  return {
    baseUrl,
    db,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
      await dropDatabase();
    },
  };
}

/**
 * A copy of the run's migrated and seeded database (see global-setup.ts); migrated and seeded here when
 * there is none, so that the helper also works outside this vitest config.
 */
async function freshDatabase(): Promise<{ db: Db; dropDatabase: () => Promise<void> }> {
  const template = provided('e2eTemplate');
  const dump = provided('e2eDump');
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();
  if (serverUrl) {
    const name = `kj_e2e_${provided('e2eRunId') || process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = createDb({ databaseUrl: serverUrl, poolMax: 1 });
    try {
      await admin.raw(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    } finally {
      await admin.destroy();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = createDb({ databaseUrl: url.toString() });
    if (!template) await migrateAndSeed(db);
    return {
      db,
      async dropDatabase() {
        const dropper = createDb({ databaseUrl: serverUrl, poolMax: 1 });
        await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.destroy();
      },
    };
  }
  // On disk, like the default `npm start`, rather than in memory.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-e2e-db-'));
  const loadDataDir = dump ? new Blob([await fs.readFile(dump)]) : undefined;
  const db = createDb({
    pglite: new PGlite(dir, { ...pgliteOptions(), ...(loadDataDir ? { loadDataDir } : {}) }),
  });
  if (!dump) await migrateAndSeed(db);
  return { db, dropDatabase: () => fs.rm(dir, { recursive: true, force: true }) };
}

async function migrateAndSeed(db: Db) {
  await migrateLatest(db);
  await loadSeedIfEmpty(db);
}

/** A value global-setup.ts provided, or '' when this file runs without it. */
function provided(key: 'e2eRunId' | 'e2eTemplate' | 'e2eDump'): string {
  try {
    return inject(key) ?? '';
  } catch {
    return '';
  }
}
