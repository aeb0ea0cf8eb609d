import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest } from '../../src/db';
import { backupRepository } from '../../src/features/backup/backup.repository';
import { backupService } from '../../src/features/backup/backup.service';
import { migrationSource } from '../../src/lib/migration-source';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { createTopic } from '../helpers/factories';
import { fillEveryTable } from './fill-every-table';

const run = promisify(execFile);
const hasTools = await run('pg_dump', ['--version']).then(
  () => true,
  () => false,
);

/** The pg_dump / pg_restore procedure of docs/BACKUP.md, exactly as written there. */
describe.skipIf(!testDatabaseUrl || !hasTools)('backup with pg_dump and pg_restore (PostgreSQL)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let folder: string;

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createEmptyDatabase();
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-pgdump-'));
    await fillEveryTable(source.db);
  });
  afterAll(async () => {
    await source?.destroy();
    await target?.destroy();
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('a dump restored into a new database holds the same data, schema history and id sequences', async () => {
    const dump = path.join(folder, 'kawaljanji.dump');
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, source.url!]);
    await run('pg_restore', ['--list', dump]);
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${target.url}`,
      dump,
    ]);

    const backups = (database: TestDatabase) => backupService({ backups: backupRepository(database.db) });
    expect((await backups(target).exportDatabase()).text).toBe((await backups(source).exportDatabase()).text);
    // The app starts on it without migrating anything, and new rows take new ids.
    const [, pending] = (await target.db.migrate.list({ migrationSource })) as [unknown, unknown[]];
    expect(pending).toEqual([]);
    await migrateLatest(target.db);
    const largest = await target.db('topics').max({ id: 'id' }).first();
    expect((await createTopic(target.db)).id).toBe(Number(largest?.id) + 1);
  }, 60_000);
});
