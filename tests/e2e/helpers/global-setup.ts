import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createDb, migrateLatest, pgliteOptions } from '../../../src/db';
import { loadSeedIfEmpty } from '../../../src/lib/seed-runner';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eRunId: string;
    /** PostgreSQL: a migrated, seeded database each journey file copies (CREATE DATABASE … TEMPLATE). */
    e2eTemplate: string;
    /** Embedded engine: a dump of a migrated, seeded data directory each journey file starts from. */
    e2eDump: string;
  }
}

/**
 * Migrating and seeding takes most of a journey file's start-up on a busy machine, so it is done once per
 * run; every file still gets a database of its own, copied from this one.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('e2eRunId', runId);
  const serverUrl = process.env.TEST_DATABASE_URL?.trim();

  if (serverUrl) {
    const template = `kj_e2e_tpl_${runId}`;
    const admin = createDb({ databaseUrl: serverUrl, poolMax: 1 });
    await admin.raw(`CREATE DATABASE ${template}`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    const db = createDb({ databaseUrl: url.toString(), poolMax: 1 });
    await migrateLatest(db);
    await loadSeedIfEmpty(db);
    await db.destroy();
    project.provide('e2eTemplate', template);
    project.provide('e2eDump', '');
    return async () => {
      // The template, and any copy a crashed file left behind.
      const { rows } = await admin.raw<{ rows: { datname: string }[] }>(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`kj_e2e_%${runId}%`],
      );
      for (const { datname } of rows) await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.destroy();
    };
  }

  const pglite = new PGlite(pgliteOptions());
  const db = createDb({ pglite });
  await migrateLatest(db);
  await loadSeedIfEmpty(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `kawal-janji-e2e-${runId}.tar`);
  await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('e2eTemplate', '');
  project.provide('e2eDump', file);
  return async () => {
    await fs.rm(file, { force: true });
  };
}
