import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateLatest } from '../../src/db';
import { backupRepository } from '../../src/features/backup/backup.repository';
import { BACKED_UP_TABLES } from '../../src/features/backup/backup.schemas';
import { backupService } from '../../src/features/backup/backup.service';
import { compiled } from '../helpers/compiled';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { fillEveryTable } from './fill-every-table';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * npm run export and npm run import as an operator runs them: against server databases on PostgreSQL,
 * or embedded data directories on PGlite (each opened by one process at a time).
 */
describe('npm run export and npm run import', () => {
  const databases: TestDatabase[] = [];
  let folder: string;
  let sourceEnv: NodeJS.ProcessEnv;
  let targetEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // Vitest puts Vite's BASE_URL ('/') into the environment; the CLI must not read it as ours.
    const { BASE_URL: _base, ...inherited } = process.env;
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-backup-'));
    if (testDatabaseUrl) {
      const source = await createTestDatabase();
      const target = await createTestDatabase();
      databases.push(source, target);
      await fillEveryTable(source.db);
      sourceEnv = { ...inherited, NODE_ENV: 'test', DATABASE_URL: source.url };
      targetEnv = { ...inherited, NODE_ENV: 'test', DATABASE_URL: target.url };
    } else {
      const sourceDir = path.join(folder, 'source-data');
      const db = createDb({ dataDir: sourceDir });
      try {
        await migrateLatest(db);
        await fillEveryTable(db);
      } finally {
        await db.destroy();
      }
      sourceEnv = { ...inherited, NODE_ENV: 'test', DATABASE_URL: '', DATA_DIR: sourceDir };
      targetEnv = {
        ...inherited,
        NODE_ENV: 'test',
        DATABASE_URL: '',
        DATA_DIR: path.join(folder, 'target-data'),
      };
    }
  }, 240_000);
  afterAll(async () => {
    for (const database of databases) await database.destroy();
    await fs.rm(folder, { recursive: true, force: true });
  });

  /** The export of the database an environment names, made in this process while no CLI has it open. */
  async function exportInProcess(env: NodeJS.ProcessEnv): Promise<string> {
    const db = env.DATABASE_URL
      ? createDb({ databaseUrl: env.DATABASE_URL })
      : createDb({ dataDir: env.DATA_DIR });
    try {
      return (await backupService({ backups: backupRepository(db) }).exportDatabase()).text;
    } finally {
      await db.destroy();
    }
  }

  function run(script: 'export' | 'import', args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...compiled(`cli/${script}`).args, ...args], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  }

  it('exports, restores into a new empty database, and exports the same bytes again', async () => {
    const first = path.join(folder, 'first.json');
    const second = path.join(folder, 'second.json');

    const exported = await run('export', [first], sourceEnv);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(
      new RegExp(`^Wrote \\d+ rows from ${BACKED_UP_TABLES.length} tables to .*first\\.json`),
    );

    const imported = await run('import', [first], targetEnv);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`^Restored \\d+ rows into ${BACKED_UP_TABLES.length} tables`));

    // The restored database, exported again (in this process: one fewer start of the CLI to wait for).
    await fs.writeFile(second, await exportInProcess(targetEnv));
    expect(await fs.readFile(second)).toEqual(await fs.readFile(first));
    // Only the backup itself is left behind, never a half-written temporary file.
    expect((await fs.readdir(folder)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  }, 300_000);

  it('refuses to restore into a database that has data, with a clear message', async () => {
    const result = await run('import', [path.join(folder, 'first.json')], targetEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Import refused: the target database is not empty \(elections: 1, /);
    expect(result.stderr).toContain('No data was stored.');
  }, 120_000);

  it('refuses a backup of an unknown format version and a file that does not exist', async () => {
    const future = path.join(folder, 'future.json');
    const text = await fs.readFile(path.join(folder, 'first.json'), 'utf8');
    await fs.writeFile(future, text.replace('"format_version": 1', '"format_version": 7'));
    const result = await run('import', [future], targetEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Import refused: unknown backup format version 7/);

    const missing = await run('import', [path.join(folder, 'nowhere.json')], targetEnv);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Import refused: cannot read .*nowhere\.json/);
  }, 120_000);

  it.skipIf(testDatabaseUrl)(
    'on the embedded engine, a copy of the stopped data folder holds the same data',
    async () => {
      const copy = path.join(folder, 'copied-data');
      await fs.cp(sourceEnv.DATA_DIR!, copy, { recursive: true });
      expect(await exportInProcess({ ...sourceEnv, DATA_DIR: copy })).toBe(
        await fs.readFile(path.join(folder, 'first.json'), 'utf8'),
      );
    },
    60_000,
  );

  it('prints its usage when no file is named', async () => {
    const result = await run('export', [], sourceEnv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage:');
  }, 60_000);
});
