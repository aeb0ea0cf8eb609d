import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createDb, type Db, engineOf } from '../../src/db';
import type { PageCache } from '../../src/http/page-cache';
import { createLogger } from '../../src/lib/logger';
import { testConfig } from '../helpers/app';
import { countQueries, createTestDatabase, type TestDatabase } from '../helpers/database';
import { signInAs } from '../helpers/newsroom';
import { createRatedClaim } from '../helpers/public-factories';

/** A second pool on the same database, standing in for a read replica. */
function readPool(db: Db, url: string | undefined): Db {
  const engine = engineOf(db);
  if (engine?.kind === 'embedded') return createDb({ pglite: engine.pglite });
  return createDb({ databaseUrl: url, poolMax: 4, applicationName: 'kawal-janji-read' });
}

describe('DATABASE_READ_URL: public reads on a read replica', () => {
  let database: TestDatabase;
  let readDb: Db;
  let app: Express;

  beforeAll(async () => {
    database = await createTestDatabase();
    readDb = readPool(database.db, database.url);
    app = buildApp({
      config: testConfig({ PAGE_CACHE: 'on' }),
      db: database.db,
      readDb,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await readDb?.destroy();
    await database?.destroy();
  });

  it('sends every public page, feed and API read to the read pool, none to the primary', async () => {
    const { claim } = await createRatedClaim(database.db, { status: 'mostly_true' });
    const election = await database.db('elections').where({ id: claim.election_id }).first();
    const candidate = await database.db('candidates').where({ id: claim.candidate_id }).first();
    const urls = [
      '/',
      '/claims',
      '/claims?q=uji',
      `/claims/${claim.slug}`,
      `/claims/${claim.slug}/badge.svg`,
      `/elections/${election.slug}`,
      `/candidates/${candidate.slug}`,
      '/feed.xml',
      '/sitemap.xml',
      '/claims.csv',
      '/api/v1/claims',
      `/api/v1/claims/${claim.slug}`,
      '/api/v1/elections',
    ];
    for (const url of urls) {
      let onReplica = 0;
      const onPrimary = await countQueries(database.db, async () => {
        onReplica = await countQueries(readDb, () => request(app).get(url).expect(200));
      });
      expect(onReplica, url).toBeGreaterThan(0);
      expect(onPrimary, url).toBe(0);
    }
  });

  it('keeps the newsroom on the primary, and a published change shows on the next public request', async () => {
    const editor = await signInAs(app, database.db, 'editor');
    const { claim, evidence } = await createRatedClaim(database.db, { status: 'true' });
    const url = `/claims/${claim.slug}`;
    await request(app).get(url).expect(200);
    const kept = await request(app).get(url).expect(200);
    expect(kept.headers['x-page-cache']).toBe('hit');
    let onReplica = 0;
    const onPrimary = await countQueries(database.db, async () => {
      onReplica = await countQueries(readDb, () =>
        editor
          .post(`/newsroom/claims/${claim.id}/status`, {
            status: 'half_true',
            note: 'Angka itu hanya separuh benar.',
            evidence_ids: [evidence[0]!.id],
          })
          .expect(303),
      );
    });
    expect(onPrimary).toBeGreaterThan(0);
    expect(onReplica).toBe(0);
    // A replica cannot LISTEN: the version is asked of it on every request (one query), never remembered.
    const after = await request(app).get(url).expect(200);
    expect(after.text).toContain('Angka itu hanya separuh benar.');
    expect(await countQueries(readDb, () => request(app).get(url).expect(200))).toBe(1);
    expect((app.get('pageCache') as PageCache).stats().listening).toBe(false);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'opens a pool of its own from DATABASE_READ_URL',
    async () => {
      const own = await createTestDatabase();
      try {
        const replicaApp = buildApp({
          config: testConfig({ DATABASE_READ_URL: own.url! }),
          db: own.db,
          logger: createLogger({ level: 'silent' }),
        });
        await request(replicaApp).get('/claims').expect(200);
        const connections = async () =>
          (
            await own.db.raw(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE application_name = 'kawal-janji-read' AND datname = current_database()`,
            )
          ).rows[0].n as number;
        expect(await connections()).toBeGreaterThan(0);
      } finally {
        await own.destroy();
      }
    },
  );
});
