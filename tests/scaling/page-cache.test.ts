import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, verdictQueriesAtOnce } from '../../src/app';
import { createDb, type Db } from '../../src/db';
import { verdictRepository } from '../../src/features/claims/verdict.repository';
import { type PageCache, pageCache } from '../../src/http/page-cache';
import type { ChangeFeed } from '../../src/lib/change-feed';
import { createLogger } from '../../src/lib/logger';
import { testConfig } from '../helpers/app';
import { countQueries } from '../helpers/database';
import { createClaim, createEvidence, createTopic } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import {
  addCorrection,
  approveStatusChange,
  createRatedClaim,
  hideEvidence,
} from '../helpers/public-factories';

const cacheOf = (app: Express) => app.get('pageCache') as PageCache;

/** Waits until the instance hears changes from the database (its LISTEN connection is up). */
async function listening(app: Express): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cacheOf(app).stats().listening) {
    if (Date.now() > deadline) throw new Error('the page cache never started listening');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads `url` anonymously until `accept` holds, for at most `withinMs`; returns how long it took. */
async function until(app: Express, url: string, accept: (html: string) => boolean, withinMs: number) {
  const started = Date.now();
  for (;;) {
    const response = await request(app).get(url).expect(200);
    if (accept(response.text)) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`${url} did not change within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Reads `url` until it costs `queries` queries (none for a page answered from memory; one for a list,
 * whose claims are always read): the notifications of the rows a test has just written (each factory
 * call commits on its own) reach the instance a moment later, and each one makes it read again.
 */
async function costing(queries: number, app: Express, db: Db, url: string): Promise<request.Response> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    let response: request.Response | undefined;
    const counted = await countQueries(db, async () => {
      response = await request(app).get(url).expect(200);
    });
    if (counted === queries) return response!;
    if (Date.now() > deadline) throw new Error(`${url} still costs ${counted} queries, not ${queries}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fromMemory = (app: Express, db: Db, url: string) => costing(0, app, db, url);
const fromList = (app: Express, db: Db, url: string) => costing(1, app, db, url);

/** A second app instance on the same database: on PostgreSQL a pool and a LISTEN connection of its own. */
function secondInstance(primary: { db: Db; url: string | undefined }, overrides: Record<string, string>) {
  const db = primary.url ? createDb({ databaseUrl: primary.url, poolMax: 4 }) : primary.db;
  const app = buildApp({ config: testConfig(overrides), db, logger: createLogger({ level: 'silent' }) });
  return { app, db, close: () => (db === primary.db ? Promise.resolve() : db.destroy()) };
}

describe('the page cache', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on' });
  let other: ReturnType<typeof secondInstance>;

  beforeAll(async () => {
    other = secondInstance({ db: ctx.db, url: ctx.database.url }, { PAGE_CACHE: 'on' });
    await Promise.all([listening(ctx.app), listening(other.app)]);
  });
  afterAll(async () => {
    await other?.close();
  });

  it('serves a verdict page again from memory without a single query, and a 304 the same way', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'mostly_true' });
    const url = `/claims/${claim.slug}`;
    const first = await request(ctx.app).get(url).expect(200);
    expect(first.headers['x-page-cache']).toBe('miss');

    const second = await fromMemory(ctx.app, ctx.db, url);
    expect(second?.headers['x-page-cache']).toBe('hit');
    expect(second?.text).toBe(first.text);
    expect(second?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(second?.headers.etag).toBe(first.headers.etag);
    expect(second?.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');

    expect(
      await countQueries(ctx.db, () =>
        request(ctx.app).get(url).set('If-None-Match', String(first.headers.etag)).expect(304),
      ),
    ).toBe(0);
  });

  it('keeps each language (and each URL) apart', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false' });
    const url = `/claims/${claim.slug}`;
    const id = await request(ctx.app).get(url).expect(200);
    const en = await request(ctx.app).get(`${url}?lang=en`).expect(200);
    expect(id.text).toContain('Keliru');
    expect(en.text).toContain('False');
    expect(en.text).not.toContain('Keliru');
    const enAgain = await request(ctx.app).get(url).set('Cookie', 'lang=en').expect(200);
    expect(enAgain.text).toContain('False');
    expect(enAgain.headers.etag).not.toBe(id.headers.etag);
    const idAgain = await request(ctx.app).get(url).expect(200);
    expect(idAgain.headers['x-page-cache']).toBe('hit');
    expect(idAgain.text).toBe(id.text);
  });

  it('shows a change published through the newsroom on the very next request to the same instance', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'promise', title: 'Janji jembatan baru' });
    const url = `/claims/${claim.slug}`;
    const election = await ctx.db('elections').where({ id: claim.election_id }).first();
    const scoreboard = `/elections/${election.slug}`;
    await request(ctx.app).get(url).expect(200);
    expect((await request(ctx.app).get(url).expect(200)).headers['x-page-cache']).toBe('hit');
    const board = await request(ctx.app).get(scoreboard).expect(200);
    expect((await request(ctx.app).get(scoreboard).expect(200)).headers['x-page-cache']).toBe('hit');
    expect((await request(ctx.app).get('/').expect(200)).text).toContain('Janji jembatan baru');

    // Evidence, then a rating that rests on it (an editor's own change is approved at once).
    await editor
      .post(`/newsroom/claims/${claim.id}/evidence`, {
        url: 'https://example.org/jembatan',
        title: 'Laporan peresmian jembatan',
        stance: 'supports',
      })
      .expect(303);
    const shown = await request(ctx.app).get(url).expect(200);
    expect(shown.text).toContain('Laporan peresmian jembatan');
    const evidence = await ctx.db('evidence').where({ claim_id: claim.id }).first();
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'kept',
        note: 'Jembatan diresmikan bulan lalu.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    const rated = await request(ctx.app).get(url).expect(200);
    expect(rated.headers['x-page-cache']).toBe('miss');
    expect(rated.text).toContain('Jembatan diresmikan bulan lalu.');
    expect(rated.text).toContain('Ditepati');
    const boardAfter = await request(ctx.app).get(scoreboard).expect(200);
    expect(boardAfter.headers.etag).not.toBe(board.headers.etag);
    expect(boardAfter.text).not.toBe(board.text);

    // Retracted: the very next reader sees the notice.
    await editor
      .post(`/newsroom/claims/${claim.id}/retract`, { retraction_reason: 'Kutipan salah atribusi.' })
      .expect(303);
    expect((await request(ctx.app).get(url).expect(200)).text).toContain('Kutipan salah atribusi.');
    expect((await request(ctx.app).get('/').expect(200)).text).not.toContain('Janji jembatan baru');
  }, 60_000);

  it('shows a change made on one instance on another instance within one second', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim, evidence } = await createRatedClaim(ctx.db, { status: 'half_true' });
    const url = `/claims/${claim.slug}`;
    // The other instance has the page in memory, and answers it without asking the database.
    await request(other.app).get(url).expect(200);
    const kept = await fromMemory(other.app, other.db, url);
    expect(kept?.headers['x-page-cache']).toBe('hit');
    expect(kept?.text).not.toContain('Angka resmi berbeda jauh.');

    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Angka resmi berbeda jauh.',
        evidence_ids: [evidence[0]!.id],
      })
      .expect(303);
    const took = await until(other.app, url, (html) => html.includes('Angka resmi berbeda jauh.'), 1_000);
    expect(took).toBeLessThan(1_000);
    expect((await request(other.app).get(url).expect(200)).text).toContain('Keliru');
  }, 60_000);

  it('hears changes from any writer (a script, psql), not only the newsroom forms', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const url = `/claims/${claim.slug}`;
    await request(other.app).get(url).expect(200);
    expect((await request(other.app).get(url).expect(200)).headers['x-page-cache']).toBe('hit');
    await createEvidence(ctx.db, { claim_id: claim.id, title: 'Dokumen anggaran tambahan' });
    const took = await until(other.app, url, (html) => html.includes('Dokumen anggaran tambahan'), 1_000);
    expect(took).toBeLessThan(1_000);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'serves no stale page while its LISTEN connection is down, and listens again',
    async () => {
      const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
      const url = `/claims/${claim.slug}`;
      await request(other.app).get(url).expect(200);
      expect((await request(other.app).get(url).expect(200)).headers['x-page-cache']).toBe('hit');
      // Both instances' LISTEN connections are cut by the server.
      const { rows } = await ctx.db.raw(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE application_name = 'kawal-janji-listen' AND datname = current_database()`,
      );
      expect(rows[0].n).toBe(2);
      await createEvidence(ctx.db, { claim_id: claim.id, title: 'Bukti saat koneksi terputus' });
      // Whether or not the instance has noticed yet, the change shows within the second.
      const took = await until(other.app, url, (html) => html.includes('Bukti saat koneksi terputus'), 1_000);
      expect(took).toBeLessThan(1_000);
      await listening(other.app);
      await createEvidence(ctx.db, { claim_id: claim.id, title: 'Bukti setelah tersambung lagi' });
      await until(other.app, url, (html) => html.includes('Bukti setelah tersambung lagi'), 1_000);
      expect((await request(other.app).get(url).expect(200)).headers['x-page-cache']).toBe('hit');
    },
    30_000,
  );

  it('reads a list again with one query, and counts again after a change on this or another instance', async () => {
    const word = `waduk${Date.now().toString(36)}`;
    const { claim } = await createRatedClaim(ctx.db, { status: 'false', title: `Janji ${word} pertama` });
    const url = `/claims?q=${word}`;
    const heading = (html: string) => /<h2 class="result-count"[^>]*>([^<]*)</.exec(html)?.[1];
    for (const app of [ctx.app, other.app]) {
      await until(app, url, (html) => heading(html) === '1 klaim', 1_000);
      // The site's version, the count and the filters' options are remembered: the claims are read.
      const again = await fromList(app, app === ctx.app ? ctx.db : other.db, url);
      expect(heading(again.text)).toBe('1 klaim');
      expect(again.text).toContain(`Janji ${word} pertama`);
    }
    expect(cacheOf(ctx.app).stats().reads).toBeGreaterThan(0);

    // Published through the newsroom of the first instance: counted on its very next request.
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const second = await createClaim(ctx.db, { workflow_state: 'draft', title: `Janji ${word} kedua` });
    await until(ctx.app, url, (html) => heading(html) === '1 klaim', 1_000);
    await fromList(ctx.app, ctx.db, url);
    await editor.post(`/newsroom/claims/${second.id}/publish`, {}).expect(303);
    const counted = await request(ctx.app).get(url).expect(200);
    expect(heading(counted.text)).toBe('2 klaim');
    expect(counted.text).toContain(`Janji ${word} kedua`);
    // And on the other instance within a second.
    expect(await until(other.app, url, (html) => heading(html) === '2 klaim', 1_000)).toBeLessThan(1_000);

    // A change from a script: the first claim leaves every list; an election renamed shows in the filter.
    await fromList(other.app, other.db, url);
    await ctx
      .db('claims')
      .where({ id: claim.id })
      .update({ workflow_state: 'retracted', retraction_reason: 'Salah kutip.', retracted_at: new Date() });
    expect(await until(other.app, url, (html) => heading(html) === '1 klaim', 1_000)).toBeLessThan(1_000);
    const renamed = `Pilkada ${word}`;
    await ctx.db('elections').where({ id: claim.election_id }).update({ name: renamed });
    expect(await until(other.app, url, (html) => html.includes(renamed), 1_000)).toBeLessThan(1_000);
  }, 60_000);

  it('never keeps or serves a kept page to a signed-in reader', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const url = `/claims/${claim.slug}`;
    await request(ctx.app).get(url).expect(200);
    const before = cacheOf(ctx.app).stats();
    const signedIn = await editor.get(url).expect(200);
    expect(signedIn.headers['x-page-cache']).toBeUndefined();
    expect(signedIn.headers['cache-control']).toBe('private, no-store');
    expect(signedIn.text).toContain('/newsroom');
    const after = cacheOf(ctx.app).stats();
    expect(after.pages).toBe(before.pages);
    expect(after.hits).toBe(before.hits);
  });
});

describe('the page cache, on the instance that made a change', () => {
  // A feed that says it is listening but never hears anything: what is left is the instance's own
  // forgetting, before a newsroom write's response leaves, which must be enough for the next request.
  const deaf: ChangeFeed = { live: true, subscribe: () => () => {}, close: async () => {} };
  const pages = pageCache({ enabled: true, maxBytes: 1024 * 1024, feed: deaf });
  let app: Express;
  const ctx = useNewsroomApp();

  beforeAll(() => {
    app = buildApp({ config: ctx.config, db: ctx.db, logger: createLogger({ level: 'silent' }), pages });
  });

  it('forgets what it remembered when one of its own newsroom writes commits, notification or not', async () => {
    const editor = await signInAs(app, ctx.db, 'editor');
    const { claim, evidence } = await createRatedClaim(ctx.db, { status: 'mostly_true' });
    const url = `/claims/${claim.slug}`;
    await request(app).get(url).expect(200);
    const kept = await request(app).get(url).expect(200);
    expect(kept.headers['x-page-cache']).toBe('hit');
    expect(await countQueries(ctx.db, () => request(app).get(url).expect(200))).toBe(0);

    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'misleading',
        note: 'Dihitung ulang dari data resmi.',
        evidence_ids: [evidence[0]!.id],
      })
      .expect(303);
    const next = await request(app).get(url).expect(200);
    expect(next.text).toContain('Dihitung ulang dari data resmi.');
    expect(next.headers.etag).not.toBe(kept.headers.etag);

    // A signed-in reader's visit or a refused sign-in writes nothing public: nothing is forgotten.
    await request(app).get(url).expect(200);
    await editor.get(url).expect(200);
    await request(app).post('/login').type('form').send('email=x%40y.z&password=salah').expect(403);
    expect(await countQueries(ctx.db, () => request(app).get(url).expect(200))).toBe(0);
  }, 60_000);
});

describe('the page cache, bounded and switchable', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on', PAGE_CACHE_MB: '0.1' });

  it('holds no more than its size in bytes, dropping the least recently used page first', async () => {
    await listening(ctx.app);
    const max = 0.1 * 1024 * 1024;
    const urls: string[] = [];
    // Enough pages for half as much again as the cache holds.
    for (let bytes = 0; bytes < max * 1.5; ) {
      const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
      urls.push(`/claims/${claim.slug}`);
      bytes += Buffer.byteLength((await request(ctx.app).get(urls.at(-1)!).expect(200)).text);
    }
    const first = urls[0]!;
    for (const url of urls) {
      await request(ctx.app).get(url).expect(200);
      // The first page is read again and again: it stays while older ones go.
      await request(ctx.app).get(first).expect(200);
    }
    const stats = cacheOf(ctx.app).stats();
    expect(stats.bytes).toBeLessThanOrEqual(max);
    expect(stats.bytes).toBeGreaterThan(max / 2);
    expect(stats.pages).toBeLessThan(urls.length);
    expect((await request(ctx.app).get(first).expect(200)).headers['x-page-cache']).toBe('hit');
    expect((await request(ctx.app).get(urls[1]!).expect(200)).headers['x-page-cache']).toBe('miss');
  });

  it('renders a first view from one query, to the very bytes the separate queries give', async () => {
    const off = secondInstance({ db: ctx.db, url: ctx.database.url }, { PAGE_CACHE: 'off' });
    try {
      const topic = await createTopic(ctx.db);
      const { claim, evidence } = await createRatedClaim(ctx.db, {
        status: 'half_true',
        topic_ids: [topic.id],
        explanation: 'Penjelasan **tebal** dengan [tautan](https://example.org/a).',
        evidence: [{ stance: 'supports' }, { stance: 'contradicts' }, { stance: 'context' }],
      });
      // Publication dates that order the list (one unknown, which sorts last), and an archive copy.
      await ctx.db('evidence').where({ id: evidence[0]!.id }).update({ published_on: '2024-10-01' });
      await ctx.db('evidence').where({ id: evidence[2]!.id }).update({
        published_on: null,
        archive_url: 'https://web.archive.org/web/2024/https://example.org/x',
        excerpt: 'Kutipan <b>dari</b> sumber & lainnya',
      });
      await createEvidence(ctx.db, { claim_id: claim.id, stance: 'supports', title: 'Bukti keempat' });
      await hideEvidence(ctx.db, evidence[1]!.id);
      await approveStatusChange(ctx.db, {
        claim_id: claim.id,
        from: 'half_true',
        to: 'misleading',
        evidence_ids: [evidence[0]!.id, evidence[1]!.id, evidence[2]!.id],
      });
      await addCorrection(ctx.db, { claim_id: claim.id, kind: 'verdict_changed' });
      await addCorrection(ctx.db, { claim_id: claim.id, kind: 'edited' });
      for (const lang of ['id', 'en']) {
        const url = `/claims/${claim.slug}?lang=${lang}`;
        let combined: request.Response | undefined;
        expect(
          await countQueries(off.db, async () => {
            combined = await request(off.app).get(url).expect(200);
          }),
        ).toBe(1);
        // A revalidation that does not match: the version first, then the page's own queries.
        const separate = await request(off.app).get(url).set('If-None-Match', 'W/"other"').expect(200);
        expect(combined?.text).toBe(separate.text);
        expect(combined?.headers.etag).toBe(separate.headers.etag);
        expect(combined?.headers['last-modified']).toBe(separate.headers['last-modified']);
        expect(combined?.text).toContain(lang === 'id' ? 'Menyesatkan' : 'Misleading');
      }
    } finally {
      await off.close();
    }
  });

  it('reads the first views that arrive while the database is busy together, each reader its own page', async () => {
    const off = secondInstance({ db: ctx.db, url: ctx.database.url }, { PAGE_CACHE: 'off' });
    try {
      const statuses = ['true', 'mostly_true', 'half_true', 'misleading', 'false'] as const;
      const claims = [];
      for (const status of statuses) claims.push((await createRatedClaim(ctx.db, { status })).claim);
      const draft = await createClaim(ctx.db, { title: 'Draf yang belum terbit', workflow_state: 'draft' });
      const slugs = [...claims.map((c) => c.slug), claims[0]!.slug, draft.slug, 'tidak-ada-klaim-ini'];

      // All asked for in the same moment: as many queries as may run at once (half the pool: 2 of this
      // instance's 4 on PostgreSQL, 1 on the embedded engine) start with one page each, and the rest
      // wait for one more.
      const atOnce = verdictQueriesAtOnce(off.db);
      const repository = verdictRepository(off.db, { queriesAtOnce: atOnce });
      let rows: Awaited<ReturnType<typeof repository.verdictBySlug>>[] = [];
      const queries = await countQueries(off.db, async () => {
        rows = await Promise.all(slugs.map((slug) => repository.verdictBySlug(slug)));
      });
      expect(queries).toBe(Math.min(atOnce, slugs.length) + (slugs.length > atOnce ? 1 : 0));
      expect(queries).toBeLessThan(slugs.length);
      expect(rows.map((row) => row?.claim.slug)).toEqual([
        ...claims.map((c) => c.slug),
        claims[0]!.slug,
        undefined,
        undefined,
      ]);
      expect(rows.map((row) => row?.claim.status).slice(0, statuses.length)).toEqual([...statuses]);

      // Through the app, all at once: every reader gets the page of the claim it asked for, and the
      // same bytes as when each comes alone.
      const alone = new Map<string, string>();
      for (const claim of claims)
        alone.set(claim.slug, (await request(off.app).get(`/claims/${claim.slug}`).expect(200)).text);
      const together = await Promise.all(
        [...claims, ...claims].map((claim) => request(off.app).get(`/claims/${claim.slug}`)),
      );
      [...claims, ...claims].forEach((claim, i) => {
        expect(together[i]!.status).toBe(200);
        expect(together[i]!.text).toBe(alone.get(claim.slug));
      });
      await request(off.app).get(`/claims/${draft.slug}`).expect(404);
    } finally {
      await off.close();
    }
  });

  it('PAGE_CACHE=off renders every page for every reader', async () => {
    const off = secondInstance({ db: ctx.db, url: ctx.database.url }, { PAGE_CACHE: 'off' });
    try {
      const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
      const url = `/claims/${claim.slug}`;
      const first = await request(off.app).get(url).expect(200);
      expect(first.headers['x-page-cache']).toBeUndefined();
      expect(await countQueries(off.db, () => request(off.app).get(url).expect(200))).toBe(1);
      // The same bytes as the cache would keep, and revalidation still costs no rendering.
      expect((await request(ctx.app).get(url).expect(200)).text).toBe(first.text);
      expect(
        await countQueries(off.db, () =>
          request(off.app).get(url).set('If-None-Match', String(first.headers.etag)).expect(304),
        ),
      ).toBe(1);
      expect(cacheOf(off.app).stats()).toMatchObject({ pages: 0, hits: 0, misses: 0, listening: false });
    } finally {
      await off.close();
    }
  });
});
