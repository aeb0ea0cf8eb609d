import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createDb, migrateLatest, pgliteOptions } from '../../src/db';
import { databaseUrlFor, testDatabaseUrl } from './engines';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteDump: string;
    runId: string;
  }
}

/**
 * Migrates one database per run, which each test file then copies: on PostgreSQL a template database
 * (CREATE DATABASE … TEMPLATE), on the embedded engine a dump of a migrated data directory.
 */
export default async function setup(project: TestProject) {
  // The tests that start the real server or a command-line tool run the compiled code, as npm does.
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
  });

  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('runId', runId);

  if (testDatabaseUrl) {
    const template = `kj_tpl_${runId}`;
    const admin = createDb({ databaseUrl: testDatabaseUrl, poolMax: 1 });
    await admin.raw(`CREATE DATABASE ${template}`);
    const db = createDb({ databaseUrl: databaseUrlFor(template), poolMax: 1 });
    await migrateLatest(db);
    await db.destroy();
    project.provide('pgTemplate', template);
    project.provide('pgliteDump', '');
    return async () => {
      // Drop the template and any per-file database a crashed worker left behind.
      const { rows } = await admin.raw<{ rows: { datname: string }[] }>(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`kj_%${runId}%`],
      );
      for (const { datname } of rows) await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await admin.destroy();
    };
  }

  const pglite = new PGlite(pgliteOptions());
  const db = createDb({ pglite });
  await migrateLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `kawal-janji-${runId}.tar`);
  await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('pgTemplate', '');
  project.provide('pgliteDump', file);
  return async () => {
    await fs.rm(file, { force: true });
  };
}
