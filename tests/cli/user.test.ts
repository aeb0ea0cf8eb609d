import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db';
import { verifyPassword } from '../../src/lib/passwords';
import { compiled } from '../helpers/compiled';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const ROOT = path.resolve(import.meta.dirname, '../..');
const user = compiled('cli/user');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The accounts CLI against this file's own database: the server database on PostgreSQL, or an embedded
 * data directory of its own on PGlite (opened here only between runs, since one process owns it at a time).
 */
describe('npm run user', { timeout: 120_000 }, () => {
  let database: TestDatabase | undefined;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // Vitest puts Vite's BASE_URL ('/') into the environment; the CLI must not read it as ours.
    const { BASE_URL: _base, ...inherited } = process.env;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kj-cli-'));
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env = { ...inherited, DATABASE_URL: database.url, NODE_ENV: 'test' };
    } else {
      env = { ...inherited, DATABASE_URL: '', DATA_DIR: dataDir, NODE_ENV: 'test' };
    }
  });
  afterAll(async () => {
    await database?.destroy();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  function run(args: string[], stdin = ''): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(user.command, [...user.args, ...args], { cwd: ROOT, env });
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
      child.stdin.end(stdin);
    });
  }

  async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
    if (database) return work(database.db);
    const db = createDb({ dataDir });
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  }

  it('adds a user with the password read from standard input, hashed with argon2id', async () => {
    const added = await run(
      ['add', '--email', 'Editor@Redaksi.Test', '--name', 'Editor Satu', '--role', 'editor'],
      'kata sandi yang panjang sekali\n',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('editor@redaksi.test');

    const user = await withDb((db) => db('users').where({ email: 'editor@redaksi.test' }).first());
    expect(user).toMatchObject({ display_name: 'Editor Satu', role: 'editor', active: true });
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(user.password_hash, 'kata sandi yang panjang sekali')).toBe(true);
    const audit = await withDb((db) => db('audit_log').where({ action: 'user.create', entity_id: user.id }));
    expect(audit).toHaveLength(1);
  });

  it('refuses a short password, a bad role and a duplicate email, storing nothing', async () => {
    const short = await run(
      ['add', '--email', 'a@redaksi.test', '--name', 'A', '--role', 'reporter'],
      'pendek\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password must be at least 12 characters');
    const role = await run(
      ['add', '--email', 'b@redaksi.test', '--name', 'B', '--role', 'boss'],
      'kata sandi panjang\n',
    );
    expect(role.stderr).toContain('role must be reporter, editor or admin');
    const dup = await run(
      ['add', '--email', 'editor@redaksi.test', '--name', 'C', '--role', 'admin'],
      'kata sandi panjang\n',
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const count = await withDb((db) => db('users').count({ n: '*' }));
    expect(count).toEqual([{ n: 1 }]);
  });

  it('lists, changes the password of, and disables a user', async () => {
    const list = await run(['list']);
    expect(list.stdout).toMatch(/editor@redaksi\.test\teditor\tactive\tEditor Satu/);

    const changed = await run(
      ['password', '--email', 'editor@redaksi.test'],
      'kata sandi baru yang panjang\n',
    );
    expect(changed.code).toBe(0);
    const user = await withDb((db) => db('users').where({ email: 'editor@redaksi.test' }).first());
    expect(await verifyPassword(user.password_hash, 'kata sandi baru yang panjang')).toBe(true);

    const disabled = await run(['disable', '--email', 'editor@redaksi.test']);
    expect(disabled.code).toBe(0);
    const after = await run(['list']);
    expect(after.stdout).toContain('\tdisabled\t');

    const missing = await run(['disable', '--email', 'nobody@redaksi.test']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no user has this email');
  });

  it('prints its usage for an unknown command', async () => {
    const res = await run(['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Usage:');
  });
});
