import type { Knex } from 'knex';
import pg from 'pg';
import type { RouteSpec } from './load';

/** Real slugs of the generated dataset, for the routes that need one. */
export interface Sample {
  verdictSlug: string;
  electionSlug: string;
  /** Many published claims in a fixed shuffled order: the long tail of first views. */
  longTail: string[];
}

export async function sampleDataset(databaseUrl: string, longTail: number): Promise<Sample> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'kawal-janji-bench' });
  await client.connect();
  try {
    // A rated statement (so the page carries its ClaimReview, timeline and evidence) from mid-table.
    const { rows } = await client.query<{ slug: string; election_slug: string }>(
      `SELECT c.slug, e.slug AS election_slug
         FROM claims c JOIN elections e ON e.id = c.election_id
        WHERE c.status = 'half_true' AND c.workflow_state = 'published'
        ORDER BY c.id
        OFFSET (SELECT count(*) / 2 FROM claims WHERE status = 'half_true') LIMIT 1`,
    );
    const verdict = rows[0];
    if (!verdict) throw new Error('the benchmark database has no published half-true claim');
    const tail = await client.query<{ slug: string }>(
      `SELECT slug FROM claims WHERE workflow_state = 'published' ORDER BY md5(slug) LIMIT $1`,
      [longTail],
    );
    return {
      verdictSlug: verdict.slug,
      electionSlug: verdict.election_slug,
      longTail: tail.rows.map((row) => row.slug),
    };
  } finally {
    await client.end();
  }
}

const NEXT_LINK = /<(?:a|link)\b(?=[^>]*\brel="next")[^>]*\bhref="([^"]+)"/i;

function unescapeHtml(value: string): string {
  return value
    .replaceAll('&amp;', '&')
    .replaceAll('&#x3D;', '=')
    .replaceAll('&#61;', '=')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'");
}

/**
 * A deep page of /claims, reached the way a reader (or a crawler) gets there: following the list's
 * rel="next" link page after page. Returns the URL reached and how many links were followed.
 */
export async function deepListPage(
  origin: string,
  start: string,
  pages: number,
): Promise<{ path: string; depth: number } | undefined> {
  let path = start;
  for (let depth = 0; depth < pages; depth++) {
    const response = await fetch(`${origin}${path}`);
    if (response.status !== 200) return depth === 0 ? undefined : { path, depth };
    const next = NEXT_LINK.exec(await response.text())?.[1];
    if (!next) return { path, depth };
    path = new URL(unescapeHtml(next), origin).pathname + new URL(unescapeHtml(next), origin).search;
  }
  return { path, depth: pages };
}

export interface RouteSet {
  staticCeiling: RouteSpec;
  /** Measured on the big dataset only. */
  pages: RouteSpec[];
  /** Measured on both datasets, for the scaling ratio. */
  lists: RouteSpec[];
}

export async function benchRoutes(
  origin: string,
  sample: Sample,
  options: { status: string; search: string; deepPages: number },
): Promise<{ routes: RouteSet; deepDepth: number }> {
  const deep = await deepListPage(origin, '/claims', options.deepPages);
  const tailExample = `/claims/${sample.longTail[0] ?? sample.verdictSlug}`;
  return {
    deepDepth: deep?.depth ?? 0,
    routes: {
      staticCeiling: { name: 'static ceiling', path: `/__bench/static/${sample.verdictSlug}` },
      pages: [
        { name: 'verdict page', path: `/claims/${sample.verdictSlug}` },
        {
          name: 'verdict page, long tail',
          path: `${tailExample} … (${sample.longTail.length} slugs)`,
          paths: sample.longTail.map((slug) => `/claims/${slug}`),
        },
        { name: 'election scoreboard', path: `/elections/${sample.electionSlug}` },
      ],
      lists: listRoutes(options, deep?.path),
    },
  };
}

/** The list and search routes; on the small dataset the deep page is found again by following links. */
export function listRoutes(
  options: { status: string; search: string },
  deepPath: string | undefined,
): RouteSpec[] {
  return [
    { name: 'claims by status', path: `/claims?status=${encodeURIComponent(options.status)}` },
    { name: 'claims search', path: `/claims?q=${encodeURIComponent(options.search)}` },
    { name: 'claims deep page', path: deepPath ?? '/claims' },
    { name: 'API claims', path: '/api/v1/claims' },
  ];
}

/**
 * The dataset's first election with at least two candidates, and its first two candidates: the contest
 * the live, finder and readers parts stage their debate in.
 */
export async function firstContest(
  db: Knex,
): Promise<{ electionId: number; candidates: { id: number; name: string }[] }> {
  const election = await db('candidates')
    .select('election_id')
    .groupBy('election_id')
    .havingRaw('count(*) >= 2')
    .orderBy('election_id')
    .first();
  if (!election) throw new Error('the benchmark database has no election with two candidates');
  const candidates = await db('candidates')
    .where({ election_id: election.election_id })
    .orderBy('id')
    .limit(2)
    .select('id', 'name');
  return { electionId: election.election_id, candidates };
}
