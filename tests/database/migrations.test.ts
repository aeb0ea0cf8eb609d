import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownToEmpty, migrateLatest } from '../../src/db';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database';

const APP_TABLES = [
  'agencies',
  'audit_log',
  'candidate_photo_files',
  'candidate_photos',
  'candidates',
  'claim_checks',
  'claim_phrases',
  'claim_response_corrections',
  'claim_responses',
  'claim_topics',
  'claims',
  'corrections',
  'digest_items',
  'elections',
  'event_updates',
  'events',
  'evidence',
  'follows',
  'milestone_report_corrections',
  'milestone_reports',
  'outbox',
  'reader_requests',
  'sessions',
  'sign_in_attempts',
  'status_reviews',
  'status_update_evidence',
  'status_updates',
  'subscribers',
  'tips',
  'topics',
  'users',
];

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database.destroy();
  });

  async function tables(): Promise<string[]> {
    const { rows } = await database.db.raw<{ rows: { tablename: string }[] }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY tablename",
    );
    return rows.map((r) => r.tablename);
  }

  it('run up from an empty database and create every table of the domain', { timeout: 90_000 }, async () => {
    expect(await tables()).toEqual([]);
    await migrateLatest(database.db);
    expect(await tables()).toEqual(APP_TABLES);
  });

  it('keep every timestamp column timezone-aware', async () => {
    const { rows } = await database.db.raw<{ rows: { table_name: string; column_name: string }[] }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'`,
    );
    expect(rows).toEqual([]);
  });

  it('index every foreign key (its leading column leads an index)', async () => {
    const { rows } = await database.db.raw<{ rows: { conrelid: string; conname: string }[] }>(`
      SELECT c.conrelid::regclass::text AS conrelid, c.conname
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND i.indkey[0] = c.conkey[1]
        )`);
    expect(rows).toEqual([]);
  });

  it('provide the simple and indonesian text search configurations', async () => {
    const { rows } = await database.db.raw<{ rows: { cfgname: string }[] }>(
      "SELECT cfgname FROM pg_ts_config WHERE cfgname IN ('simple', 'indonesian') ORDER BY cfgname",
    );
    expect(rows.map((r) => r.cfgname)).toEqual(['indonesian', 'simple']);
    const stem = await database.db.raw<{ rows: { matches: boolean }[] }>(
      "SELECT to_tsvector('indonesian', 'penyederhanaan birokrasi') @@ plainto_tsquery('indonesian', 'sederhana') AS matches",
    );
    expect(stem.rows[0]?.matches).toBe(true);
  });

  it('run down to an empty database and up again', async () => {
    await migrateDownToEmpty(database.db);
    expect(await tables()).toEqual([]);
    const { rows } = await database.db.raw<{ rows: { proname: string }[] }>(
      "SELECT proname FROM pg_proc WHERE proname = 'forbid_history_change'",
    );
    expect(rows).toEqual([]);
    await migrateLatest(database.db);
    expect(await tables()).toEqual(APP_TABLES);
  });
});
