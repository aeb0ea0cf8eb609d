import { describe, expect, inject, it } from 'vitest';
import { datasetSize, generateDataset, prepareDataset } from '../../bench/dataset';
import { createDb } from '../../src/db';
import { ALL_STATUSES, CLAIM_KINDS } from '../../src/features/claims/scales';
import { renderMarkdown } from '../../src/lib/markdown';
import { createTestDatabaseContext } from '../helpers/context';
import { databaseUrlFor, testDatabaseUrl } from '../helpers/engines';

const count = async (db: ReturnType<typeof createDb>, sql: string) =>
  Number((await db.raw<{ rows: { n: number }[] }>(sql)).rows[0]?.n);

const indexesAndForeignKeys = `
  SELECT string_agg(name, ',' ORDER BY name) AS names FROM (
    SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
  ) AS all_names`;

// The generator bulk-loads a PostgreSQL server (the benchmark runs on one); PGlite is not its target.
describe.skipIf(!testDatabaseUrl)('the benchmark dataset (PostgreSQL server only: skipped on PGlite)', () => {
  const ctx = createTestDatabaseContext();

  it('has the counts its size asks for, every status of both kinds, and only published claims', async () => {
    const before = (await ctx.db.raw(indexesAndForeignKeys)).rows[0].names;
    const size = await generateDataset(ctx.db, 200);

    expect(size).toEqual(datasetSize(200));
    expect(size).toMatchObject({ claims: 200, evidence: 600, statusUpdates: 800 });
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM claims')).toBe(200);
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM elections')).toBe(size.elections);
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM candidates')).toBe(size.candidates);
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM evidence')).toBe(600);
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM status_updates')).toBe(800);
    expect(await count(ctx.db, "SELECT count(*) AS n FROM status_reviews WHERE decision = 'approved'")).toBe(
      800,
    );
    expect(await count(ctx.db, 'SELECT count(*) AS n FROM status_update_evidence')).toBe(800);

    const statuses = await ctx.db('claims').distinct('status').pluck('status');
    expect([...statuses].sort()).toEqual([...ALL_STATUSES].sort());
    const kinds = await ctx.db('claims').distinct('kind').pluck('kind');
    expect([...kinds].sort()).toEqual([...CLAIM_KINDS].sort());
    expect(
      await count(
        ctx.db,
        "SELECT count(*) AS n FROM claims WHERE workflow_state <> 'published' OR published_at IS NULL",
      ),
    ).toBe(0);

    // The indexes and foreign keys dropped for the bulk load are all back.
    expect((await ctx.db.raw(indexesAndForeignKeys)).rows[0].names).toBe(before);
    expect(await ctx.db.raw("SELECT to_regclass('bench_plan') AS t").then((r) => r.rows[0].t)).toBeNull();
  });

  it("tells each claim's story consistently: a timeline from the initial status to the current one", async () => {
    // Each approved step starts where the previous one ended, and the last one ends at the claim's status.
    const broken = await count(
      ctx.db,
      `SELECT count(*) AS n FROM (
         SELECT su.claim_id, su.from_status, su.to_status, c.status, c.kind,
                lag(su.to_status) OVER (PARTITION BY su.claim_id ORDER BY su.id) AS previous,
                row_number() OVER (PARTITION BY su.claim_id ORDER BY su.id DESC) AS from_end
           FROM status_updates su JOIN claims c ON c.id = su.claim_id
       ) AS steps
       WHERE from_status = to_status
          OR from_status <> coalesce(previous, CASE WHEN kind = 'promise' THEN 'not_rated' ELSE 'unverified' END)
          OR (from_end = 1 AND to_status <> status)`,
    );
    expect(broken).toBe(0);
    // Claims still at their initial status have no history; each step rests on its own claim's evidence.
    expect(
      await count(
        ctx.db,
        `SELECT count(*) AS n FROM claims c JOIN status_updates su ON su.claim_id = c.id
          WHERE c.status IN ('not_rated', 'unverified')`,
      ),
    ).toBe(0);
    expect(
      await count(
        ctx.db,
        `SELECT count(*) AS n FROM status_update_evidence sue
           JOIN status_updates su ON su.id = sue.status_update_id
           JOIN evidence e ON e.id = sue.evidence_id
          WHERE e.claim_id <> su.claim_id`,
      ),
    ).toBe(0);
  });

  it('uses obviously fictional names and gives full-text search something to find', async () => {
    expect(
      await count(ctx.db, "SELECT count(*) AS n FROM elections WHERE name NOT LIKE 'Pilkada Kota Fiktif %'"),
    ).toBe(0);
    expect(
      await count(ctx.db, "SELECT count(*) AS n FROM candidates WHERE name NOT LIKE 'Calon Contoh %'"),
    ).toBe(0);
    const found = await count(
      ctx.db,
      "SELECT count(*) AS n FROM claims WHERE search @@ websearch_to_tsquery('indonesian', 'banjir')",
    );
    expect(found).toBeGreaterThan(0);
    expect(found).toBeLessThan(200);
  });

  it('stores each explanation with the HTML the app would have stored for it', async () => {
    const rows: { explanation: string; explanation_html: string | null }[] = await ctx
      .db('claims')
      .select('explanation', 'explanation_html')
      .orderByRaw('md5(slug)')
      .limit(50);
    expect(rows).toHaveLength(50);
    for (const row of rows) expect(row.explanation_html).toBe(renderMarkdown(row.explanation));
  });
});

describe.skipIf(!testDatabaseUrl)(
  'preparing a benchmark database (PostgreSQL server only: skipped on PGlite)',
  () => {
    it('creates, migrates and fills it once, then reuses it while the size and schema stay the same', async () => {
      const url = databaseUrlFor(`kj_bench_${inject('runId')}`);
      try {
        const first = await prepareDataset(url, 100);
        const second = await prepareDataset(url, 100);
        const resized = await prepareDataset(url, 120);

        expect(first.generated).toBe(true);
        expect(second.generated).toBe(false);
        expect(resized.generated).toBe(true);
        const db = createDb({ databaseUrl: url, poolMax: 1 });
        try {
          expect(await count(db, 'SELECT count(*) AS n FROM claims')).toBe(120);
        } finally {
          await db.destroy();
        }
      } finally {
        const admin = createDb({ databaseUrl: testDatabaseUrl, poolMax: 1 });
        await admin.raw(`DROP DATABASE IF EXISTS "kj_bench_${inject('runId')}" WITH (FORCE)`);
        await admin.destroy();
      }
    });
  },
);
