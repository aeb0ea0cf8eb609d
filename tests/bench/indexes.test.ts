import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createCandidate, createElection } from '../helpers/factories';

/** Published claims seeded for the planner (plus drafts, which the public lists must skip by index). */
const CLAIMS = 20_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

interface Captured {
  sql: string;
  bindings: unknown[];
}

/**
 * The list and search pages read their rows off indexes, at any depth, on a table big enough for the
 * planner to care (ANALYZEd, as autovacuum would have it): what the p99 target at 100,000 claims rests on.
 */
describe('the list and search queries use their indexes', () => {
  const ctx = useTestApp();
  let electionSlug = '';

  beforeAll(async () => {
    // Ten elections of five tickets each: one election holds a tenth of the claims.
    const elections: number[] = [];
    const candidates: number[] = [];
    for (let e = 0; e < 10; e++) {
      const election = await createElection(ctx.db);
      electionSlug = election.slug;
      for (let c = 0; c < 5; c++) {
        candidates.push((await createCandidate(ctx.db, { election_id: election.id })).id);
        elections.push(election.id);
      }
    }
    const promise = ['not_rated', 'in_progress', 'stalled', 'compromise', 'kept', 'broken'];
    const statement = ['unverified', 'true', 'mostly_true', 'half_true', 'misleading', 'false', 'unproven'];
    const themes = ['banjir', 'jalan', 'sekolah', 'puskesmas', 'pasar', 'air bersih', 'listrik', 'pajak'];
    await ctx.db.raw(
      `INSERT INTO claims (slug, election_id, candidate_id, kind, title, quote, said_on, status, summary,
                           explanation, workflow_state, published_at, created_at, updated_at)
       SELECT 'klaim-rencana-' || g, (?::int[])[1 + g % 50], (?::int[])[1 + g % 50],
              CASE WHEN g % 2 = 0 THEN 'promise' ELSE 'statement' END,
              'Janji soal ' || (?::text[])[1 + g % 8] || ' nomor ' || g,
              'Kami akan memperbaiki ' || (?::text[])[1 + g % 8] || ' di kelurahan ' || (g % 97)
                || CASE WHEN g % 400 = 0 THEN ' dan membangun jembatan gantung' ELSE '' END,
              CASE WHEN g % 17 = 0 THEN NULL ELSE date '2024-01-01' + (g % 300) END,
              CASE WHEN g % 2 = 0 THEN (?::text[])[1 + (g / 2) % 6] ELSE (?::text[])[1 + (g / 2) % 7] END,
              'Ringkasan ' || g, 'Penjelasan panjang tentang ' || (?::text[])[1 + g % 8],
              CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END,
              CASE WHEN g % 10 = 0 THEN NULL ELSE now() - g * interval '1 minute' END,
              now() - g * interval '1 minute', now() - g * interval '1 minute'
         FROM generate_series(1, ?::int) AS g`,
      [elections, candidates, themes, themes, promise, statement, themes, CLAIMS],
    );
    // As the benchmark's load leaves it, and as autovacuum would: statistics, and the visibility map.
    await ctx.db.raw('VACUUM (ANALYZE) claims');
  }, 120_000);

  /** Every statement `work` sends that reads the claims table. */
  async function claimsQueries(work: () => Promise<unknown>): Promise<Captured[]> {
    const captured: Captured[] = [];
    const listener = (query: { sql: string; bindings?: unknown[] }) => {
      if (/\bfrom "claims"/i.test(query.sql))
        captured.push({ sql: query.sql, bindings: query.bindings ?? [] });
    };
    ctx.db.on('query', listener);
    try {
      await work();
    } finally {
      ctx.db.removeListener('query', listener);
    }
    return captured;
  }

  async function plan(query: Captured): Promise<PlanNode[]> {
    // The event carries the statement as sent ($1, $2…); raw() wants knex's own placeholders.
    const bindings: unknown[] = [];
    const sql = query.sql.replace(/\$(\d+)/g, (_, n: string) => {
      bindings.push(query.bindings[Number(n) - 1]);
      return '?';
    });
    const result = await ctx.db.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as never);
    const json = result.rows[0]['QUERY PLAN'];
    const root = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan as PlanNode;
    return nodesOf(root);
  }

  async function expectIndexed(url: string, index?: RegExp) {
    const queries = await claimsQueries(() => request(ctx.app).get(url).expect(200));
    expect(queries.length, url).toBeGreaterThan(0);
    for (const query of queries) {
      const nodes = await plan(query);
      const onClaims = nodes.filter((n) => n['Relation Name'] === 'claims');
      expect(onClaims.length, `${url}: ${query.sql}`).toBeGreaterThan(0);
      expect(
        onClaims.filter((n) => n['Node Type'] === 'Seq Scan'),
        `${url} reads the whole claims table: ${query.sql}`,
      ).toEqual([]);
      if (index) {
        const names = nodes.map((n) => n['Index Name'] ?? '').join(' ');
        expect(names, `${url}: ${query.sql}`).toMatch(index);
      }
    }
    return queries.length;
  }

  it('the status filter, the election filter and the plain list (rows and count)', async () => {
    await expectIndexed('/claims?status=broken');
    await expectIndexed('/claims?status=true&status=false');
    await expectIndexed(`/claims?election=${electionSlug}`);
    await expectIndexed('/claims?sort=said');
    await expectIndexed('/api/v1/claims?status=kept');
  });

  it('full-text search: a rare word through the generated tsvector’s GIN index, a common one off an index too', async () => {
    // 1 claim in 400: the GIN index finds them, for the page and for the count.
    expect(await expectIndexed('/claims?q=jembatan', /claims_search_gin/)).toBeGreaterThanOrEqual(2);
    await expectIndexed('/api/v1/claims?q=jembatan', /claims_search_gin/);
    // 1 in 8: walking the newest-first index until a page is full is cheaper, and the planner knows it;
    // the count still goes through the GIN index.
    await expectIndexed('/claims?q=banjir');
  });

  it('a deep page reached by its keyset cursor', async () => {
    let path = '/claims';
    for (let i = 0; i < 30; i++) {
      const page = await request(ctx.app).get(path).expect(200);
      const next = /<(?:a|link)\b(?=[^>]*\brel="next")[^>]*\bhref="([^"]+)"/.exec(page.text)?.[1];
      expect(next, `page ${i + 1} has a next link`).toBeTruthy();
      path = next!.replaceAll('&amp;', '&');
    }
    expect(path).toMatch(/[?&]cursor=/);
    await expectIndexed(path);
  });
});
