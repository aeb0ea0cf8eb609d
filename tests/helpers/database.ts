import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { createDb, type Db, pgliteOptions } from '../../src/db';
import { databaseUrlFor, testDatabaseUrl } from './engines';

export interface TestDatabase {
  db: Db;
  /** The server URL of this database (PostgreSQL only), for child processes such as the CLI. */
  url: string | undefined;
  destroy(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `kj_${prefix}_${inject('runId')}_${randomBytes(4).toString('hex')}`;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseUrl) return serverDatabase(`TEMPLATE ${inject('pgTemplate')}`);
  const dump = await fs.readFile(inject('pgliteDump'));
  const pglite = new PGlite({ ...pgliteOptions(), loadDataDir: new Blob([dump]) });
  // Its start-up (loading the migrated copy and the extensions) belongs to the setup, not to the first test.
  await pglite.waitReady;
  const db = createDb({ pglite });
  return { db, url: undefined, destroy: () => db.destroy() };
}

/** A database with nothing in it, not even migrations (for the migration tests). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  if (testDatabaseUrl) return serverDatabase('TEMPLATE template0');
  const db = createDb({ pglite: new PGlite(pgliteOptions()) });
  return { db, url: undefined, destroy: () => db.destroy() };
}

async function serverDatabase(template: string): Promise<TestDatabase> {
  const name = uniqueName('t');
  // CREATE and DROP DATABASE copy and remove whole databases: no page's statement timeout for them.
  const admin = createDb({ databaseUrl: testDatabaseUrl, poolMax: 1, statementTimeoutMs: 0 });
  try {
    await admin.raw(`CREATE DATABASE ${name} ${template}`);
  } finally {
    await admin.destroy();
  }
  const url = databaseUrlFor(name);
  const db = createDb({ databaseUrl: url, poolMax: 10 });
  return {
    db,
    url,
    async destroy() {
      await db.destroy();
      const dropper = createDb({ databaseUrl: testDatabaseUrl, poolMax: 1, statementTimeoutMs: 0 });
      await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.destroy();
    },
  };
}

/** Counts the SQL statements a piece of work sends (for the no-N+1 tests). */
export async function countQueries(db: Db, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  db.on('query', listener);
  try {
    await work();
  } finally {
    db.removeListener('query', listener);
  }
  return count;
}
