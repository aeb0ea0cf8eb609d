import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db, migrateLatest, pgliteOptions } from '../../src/db';
import { recordAudit } from '../../src/features/audit/audit.repository';
import { backupRepository } from '../../src/features/backup/backup.repository';
import { BACKED_UP_TABLES, LEFT_OUT_TABLES } from '../../src/features/backup/backup.schemas';
import { BackupRefusedError, backupService } from '../../src/features/backup/backup.service';
import { recordFigures } from '../faults/figures';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { testDatabaseUrl } from '../helpers/engines';
import { createTopic } from '../helpers/factories';
import { AWKWARD_TEXT, fillEveryTable, MICROSECOND_TIME, PHOTO_BYTES } from './fill-every-table';

type Row = Record<string, unknown>;
type Parsed = { tables: Record<string, Row[]>; [key: string]: unknown };

const service = (database: TestDatabase) => backupService({ backups: backupRepository(database.db) });

/** What a restore holds of the tables a backup leaves out: nothing. */
const NOTHING_LEFT_OUT = Object.fromEntries(LEFT_OUT_TABLES.map((table) => [table, 0]));

/**
 * What a restore holds: every backed-up row, nothing of the left-out tables, except the live-event log,
 * which the restored public claims write afresh (one entry each that belongs to an event), and the
 * claims' phrases, which their trigger writes again from the restored wording.
 */
async function restoredCounts(source: TestDatabase, target: TestDatabase): Promise<Record<string, number>> {
  const [logged] = await target
    .db('claims')
    .whereNotNull('event_id')
    .whereIn('workflow_state', ['published', 'retracted'])
    .count({ n: '*' });
  const counts = await rowCounts(source);
  return {
    ...counts,
    ...NOTHING_LEFT_OUT,
    event_updates: Number(logged?.n),
    claim_phrases: counts.claim_phrases!,
  };
}

async function rowCounts(database: TestDatabase): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...BACKED_UP_TABLES, ...LEFT_OUT_TABLES]) {
    const [row] = await database.db(table).count({ n: '*' });
    counts[table] = Number(row?.n);
  }
  return counts;
}

describe('backup and restore', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let exported: string;
  let reexported: string;
  let filled: Awaited<ReturnType<typeof fillEveryTable>>;

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase();
    filled = await fillEveryTable(source.db);
    exported = (await service(source).exportDatabase()).text;
    await service(target).importDatabase(exported);
    reexported = (await service(target).exportDatabase()).text;
  }, 180_000);
  afterAll(async () => {
    await source?.destroy();
    await target?.destroy();
  });

  it('export, import into an empty database and export again gives the same bytes', () => {
    expect(reexported).toBe(exported);
    const { tables } = JSON.parse(exported) as Parsed;
    recordFigures('backup round trip', {
      tables: Object.keys(tables).length,
      rows: Object.values(tables).reduce((sum, rows) => sum + rows.length, 0),
      bytes: Buffer.byteLength(exported),
      identical: reexported === exported,
    });
  });

  it('the export holds a row of every backed-up table and says which tables it leaves out', () => {
    const parsed = JSON.parse(exported) as Parsed;
    expect(parsed.format).toBe('kawal-janji-backup');
    expect(parsed.format_version).toBe(1);
    const migrations = parsed.schema_migrations as string[];
    expect(migrations.length).toBeGreaterThan(9);
    for (const name of migrations) expect(name).toMatch(/^\d{14}_[a-z0-9_]+\.ts$/);
    expect(migrations).toEqual([...migrations].sort());
    expect(parsed.left_out).toEqual([
      'sessions',
      'sign_in_attempts',
      'subscribers',
      'follows',
      'outbox',
      'digest_items',
      'tips',
      'reader_requests',
      'event_updates',
      'claim_phrases',
    ]);
    expect(Object.keys(parsed.tables)).toEqual([...BACKED_UP_TABLES]);
    for (const table of BACKED_UP_TABLES) expect(parsed.tables[table]!.length, table).toBeGreaterThan(0);
  });

  it('writes rows in primary-key order, dates as strings at full precision, and no generated search column', () => {
    const { tables } = JSON.parse(exported) as Parsed;
    const ids = (table: string) => tables[table]!.map((row) => Number(row.id));
    for (const table of [
      'elections',
      'users',
      'topics',
      'claims',
      'evidence',
      'status_updates',
      'audit_log',
    ]) {
      expect(ids(table), table).toEqual([...ids(table)].sort((a, b) => a - b));
    }
    const links = tables.claim_topics!.map((row) => [row.claim_id, row.topic_id] as [number, number]);
    expect(links).toEqual([...links].sort((a, b) => a[0] - b[0] || a[1] - b[1]));

    const promise = tables.claims!.find((row) => row.id === filled.promise.id)!;
    expect(promise).not.toHaveProperty('search');
    expect(promise.published_at).toBe(MICROSECOND_TIME);
    expect(promise.said_on).toBe('2024-11-04');
    expect(promise.deadline).toBe('2029-12-31');
    expect(promise.quote).toBe(AWKWARD_TEXT);
    expect(promise.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const draft = tables.claims!.find((row) => row.id === filled.draft.id)!;
    expect(draft.title).toBeNull();
    expect(draft.said_on).toBeNull();
  });

  it('keeps JSON exactly as stored: a 20-digit number, a JSON null apart from SQL NULL', async () => {
    const { tables } = JSON.parse(exported) as Parsed;
    const imported = tables.audit_log!.find((row) => row.action === 'claim.import')!;
    expect(imported.before).toBe('null');
    expect(imported.after).toContain('12345678901234567890');
    const restored = await target.db('audit_log').where({ action: 'claim.import' }).first();
    expect(restored.before).toBeNull(); // the driver reads JSON null as null…
    const [{ is_sql_null }] = await target
      .db('audit_log')
      .where({ action: 'claim.import' })
      .select(target.db.raw('before IS NULL AS is_sql_null'));
    expect(is_sql_null).toBe(false); // …but the database holds a JSON null, as the source did
    const noBefore = tables.audit_log!.find((row) => row.action === 'user.create')!;
    expect(noBefore.before).toBeNull();
  });

  it('carries a photo’s files byte for byte', async () => {
    const read = (db: TestDatabase['db']) =>
      db('candidate_photo_files').where({ photo_id: filled.photo.id }).orderBy('variant').pluck('bytes');
    const [before, after] = [await read(source.db), await read(target.db)];
    expect(after.length).toBe(2);
    expect(Buffer.compare(after[0], PHOTO_BYTES)).toBe(0);
    expect(after.map((b: Buffer) => b.toString('hex'))).toEqual(before.map((b: Buffer) => b.toString('hex')));
  });

  it('leaves sessions and sign-in attempts behind, and the restored database has everything else', async () => {
    expect(await rowCounts(target)).toEqual(await restoredCounts(source, target));
  });

  it('after a restore, new rows take ids after the restored ones and claims are searchable again', async () => {
    const largestTopic = await target.db('topics').max({ id: 'id' }).first();
    const topic = await createTopic(target.db);
    expect(topic.id).toBe(Number(largestTopic?.id) + 1);
    const largestAudit = await target.db('audit_log').max({ id: 'id' }).first();
    await recordAudit(target.db, {
      actorId: null,
      action: 'test.after_restore',
      entity: 'test',
      entityId: null,
    });
    const audit = await target.db('audit_log').where({ action: 'test.after_restore' }).first();
    expect(Number(audit.id)).toBe(Number(largestAudit?.id) + 1);

    const found = await target
      .db('claims')
      .whereRaw("search @@ plainto_tsquery('indonesian', ?)", ['memangkas OPD'])
      .pluck('id');
    expect(found).toEqual([filled.promise.id]);
  });
});

describe('restore refusals', () => {
  let source: TestDatabase;
  let empty: TestDatabase;
  let exported: string;

  beforeAll(async () => {
    source = await createTestDatabase();
    empty = await createTestDatabase();
    await fillEveryTable(source.db);
    exported = (await service(source).exportDatabase()).text;
  }, 180_000);
  afterAll(async () => {
    await source?.destroy();
    await empty?.destroy();
  });

  const refusal = async (database: TestDatabase, text: string) => {
    const error = await service(database)
      .importDatabase(text)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(BackupRefusedError);
    return (error as Error).message;
  };
  const edited = (change: (doc: Parsed) => void) => {
    const doc = JSON.parse(exported) as Parsed;
    change(doc);
    return JSON.stringify(doc);
  };

  it('refuses a target that already has data, and changes nothing there', async () => {
    const before = await rowCounts(source);
    expect(await refusal(source, exported)).toMatch(
      /the target database is not empty \(elections: 1, users: 2/,
    );
    expect(await rowCounts(source)).toEqual(before);
  });

  it('refuses an unknown format version, a file that is not a backup, and text that is not JSON', async () => {
    expect(
      await refusal(
        empty,
        edited((doc) => Object.assign(doc, { format_version: 2 })),
      ),
    ).toBe('unknown backup format version 2: this version of Kawal Janji reads format version 1');
    expect(await refusal(empty, '{"tables": {}}')).toMatch(/not a Kawal Janji backup/);
    expect(await refusal(empty, exported.slice(0, 200))).toMatch(/not JSON/);
    expect(
      await refusal(
        empty,
        edited((doc) => delete doc.tables.audit_log),
      ),
    ).toMatch(/malformed: tables\.audit_log/);
  });

  it('refuses a backup made at another schema version, even one migration apart in either direction', async () => {
    const newer = edited((doc) => {
      (doc.schema_migrations as string[]).push('29991231000000_from_the_future.ts');
    });
    expect(await refusal(empty, newer)).toMatch(
      /made at another schema version \(only the backup has run 29991231000000_from_the_future\.ts\)/,
    );
    // Migrations from parallel work can land out of order: the set counts, not only the last name.
    const older = edited((doc) => {
      (doc.schema_migrations as string[]).splice(1, 1);
    });
    expect(await refusal(empty, older)).toMatch(/\(only this database has run \d{14}_\w+\.ts\)/);
  });

  it('refuses a column the database does not have, such as the generated search column', async () => {
    const withSearch = edited((doc) => {
      doc.tables.claims![0]!.search = "'opd':1";
    });
    expect(await refusal(empty, withSearch)).toBe('column claims.search is not in this database');
  });

  it('stores nothing when a row fails halfway through the restore', async () => {
    // A status update whose claim is missing: elections, users, candidates … are inserted before it fails.
    const broken = edited((doc) => {
      doc.tables.status_updates![0]!.claim_id = 999_999;
    });
    const error = await service(empty)
      .importDatabase(broken)
      .then(
        () => undefined,
        (err: unknown) => err as { code?: string },
      );
    expect(error?.code).toBe('23503');
    const counts = await rowCounts(empty);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    // …and the same database then takes the intact backup.
    await service(empty).importDatabase(exported);
    expect(await rowCounts(empty)).toEqual(await restoredCounts(source, empty));
  });

  it('refuses to export a database with a table that the backup does not cover', async () => {
    const database = await createTestDatabase();
    try {
      await database.db.raw('CREATE TABLE stray_notes (id serial PRIMARY KEY, note text)');
      const error = await service(database)
        .exportDatabase()
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(BackupRefusedError);
      expect((error as Error).message).toMatch(/tables that the backup does not cover: stray_notes/);
    } finally {
      await database.destroy();
    }
  });
});

describe.skipIf(!testDatabaseUrl)('moving between engines', () => {
  let server: TestDatabase;
  let embedded: Db;
  let back: TestDatabase;

  beforeAll(async () => {
    server = await createTestDatabase();
    back = await createTestDatabase();
    embedded = createDb({ pglite: new PGlite(pgliteOptions()) });
    await migrateLatest(embedded);
    await fillEveryTable(server.db);
  }, 180_000);
  afterAll(async () => {
    await server?.destroy();
    await back?.destroy();
    await embedded?.destroy();
  });

  it('a backup of a PostgreSQL server restores into the embedded engine and back, byte for byte', async () => {
    const onServer = (await service(server).exportDatabase()).text;
    const embeddedBackups = backupService({ backups: backupRepository(embedded) });
    await embeddedBackups.importDatabase(onServer);
    const onEmbedded = (await embeddedBackups.exportDatabase()).text;
    expect(onEmbedded).toBe(onServer);
    await service(back).importDatabase(onEmbedded);
    expect((await service(back).exportDatabase()).text).toBe(onServer);
  }, 90_000);
});
