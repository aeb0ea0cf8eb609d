import type { Knex } from 'knex';
import { type Db, poolSize } from '../../db';
import type { Freshness } from '../../http/cache';
import { batchedReads } from '../../lib/batched-reads';
import { type FreshnessRow, toFreshness } from '../freshness/freshness.repository';
import type { ClaimKind, ClaimStatus, EvidenceStance, WorkflowState } from './scales';

export interface Claim {
  id: number;
  slug: string;
  election_id: number;
  candidate_id: number;
  kind: ClaimKind;
  title: string | null;
  quote: string;
  quote_is_paraphrase: boolean;
  said_on: string | null;
  event: string | null;
  source_publisher: string | null;
  source_title: string | null;
  source_url: string | null;
  status: ClaimStatus;
  summary: string | null;
  explanation: string | null;
  deadline: string | null;
  workflow_state: WorkflowState;
  retraction_reason: string | null;
  published_at: Date | null;
  retracted_at: Date | null;
  created_by: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A claim as the public sees it: with who said it, in which election, and its topics. */
export interface PublicClaim extends Claim {
  candidate_slug: string;
  candidate_name: string;
  candidate_running_mate: string | null;
  election_slug: string;
  election_name: string;
  topics: { slug: string; name: string }[];
}

/** Which published claims a list shows: each filter is OR within itself, AND across filters. */
export interface ClaimFilters {
  q?: string | undefined;
  elections: string[];
  candidates: string[];
  kinds: ClaimKind[];
  statuses: ClaimStatus[];
  topics: string[];
}

export const CLAIM_SORTS = ['updated', 'said'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

/**
 * Filters with slugs turned into ids (by one query, before the list and the count), so the planner sees
 * real ids and picks the per-election and per-candidate indexes. An id list that is given but empty
 * matches nothing; undefined means the filter is not used.
 */
export interface ResolvedFilters {
  q?: string | undefined;
  electionIds?: number[] | undefined;
  candidateIds?: number[] | undefined;
  topicIds?: number[] | undefined;
  kinds: ClaimKind[];
  statuses: ClaimStatus[];
}

/** Where a page of a list ends: the sort key of its last row (text, at full precision) and its id. */
export interface ClaimCursor {
  sort: ClaimSort;
  key: string;
  id: number;
}

export interface ListedClaim extends PublicClaim {
  /** The sort key of this row for the next page's cursor: updated_at as text, or said_on ('-infinity' if none). */
  cursor_key: string;
}

export interface TimelineEvidence {
  id: number;
  title: string;
  url: string;
  publisher: string | null;
  published_on: string | null;
  stance: EvidenceStance;
}

/** One published change of a claim's status: an approved status update. */
export interface TimelineEntry {
  id: number;
  from_status: ClaimStatus;
  to_status: ClaimStatus;
  note: string;
  approved_at: Date;
  evidence: TimelineEvidence[];
}

export interface PublicEvidence {
  id: number;
  url: string;
  title: string;
  publisher: string | null;
  published_on: string | null;
  archive_url: string | null;
  excerpt: string | null;
  stance: EvidenceStance;
  created_at: Date;
}

export interface PublicCorrection {
  id: number;
  kind: 'verdict_changed' | 'retracted' | 'edited';
  note: string;
  created_at: Date;
}

/** A published status change with its claim, for the home page and the feed. */
export interface VerdictChange {
  id: number;
  from_status: ClaimStatus;
  to_status: ClaimStatus;
  note: string;
  approved_at: Date;
  claim_slug: string;
  claim_title: string;
  claim_kind: ClaimKind;
  candidate_name: string;
  election_name: string;
}

const CLAIM_COLUMNS = [
  'c.id',
  'c.slug',
  'c.election_id',
  'c.candidate_id',
  'c.kind',
  'c.title',
  'c.quote',
  'c.quote_is_paraphrase',
  'c.said_on',
  'c.event',
  'c.source_publisher',
  'c.source_title',
  'c.source_url',
  'c.status',
  'c.summary',
  'c.explanation',
  'c.deadline',
  'c.workflow_state',
  'c.retraction_reason',
  'c.published_at',
  'c.retracted_at',
  'c.created_by',
  'c.version',
  'c.created_at',
  'c.updated_at',
];

/**
 * Claims without a date sort after every dated one: as '-infinity', so that one expression index
 * (migration 20261128100000) serves both the order and the keyset condition.
 */
const SAID_KEY = "coalesce(c.said_on, '-infinity'::date)";

const SORT_SQL: Record<ClaimSort, string> = {
  updated: 'c.updated_at DESC, c.id DESC',
  said: `${SAID_KEY} DESC, c.id DESC`,
};

const CURSOR_KEY_SQL: Record<ClaimSort, string> = {
  updated: 'c.updated_at::text',
  said: `${SAID_KEY}::text`,
};

/**
 * When a public claim's page last changed (c, k and e being the claim, its candidate and its election):
 * the three rows, its evidence, the reviews of its status changes, its corrections and its topics.
 */
const PAGE_CHANGED_SQL = `greatest(c.updated_at, k.updated_at, e.updated_at,
    (SELECT max(ev.updated_at) FROM evidence ev WHERE ev.claim_id = c.id),
    (SELECT max(r.created_at) FROM status_updates u
       JOIN status_reviews r ON r.status_update_id = u.id WHERE u.claim_id = c.id),
    (SELECT max(x.created_at) FROM corrections x WHERE x.claim_id = c.id),
    (SELECT max(t.updated_at) FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id
       WHERE ct.claim_id = c.id))`;

/**
 * A verdict page in one statement: the claim with what findPublicBySlug reads, what timelineOf,
 * evidenceOf and correctionsOf read (as JSON, in the same order), and the page's version as
 * PAGE_CHANGED_SQL computes it, each section's latest change taken in the same pass as its rows.
 * Written out as text so that nothing has to build it at each first view; `?` is a JSON array of slugs
 * (several readers' pages in one query when the server is busy, see verdictBySlug). The claim
 * comes back as one JSON value rather than 31 columns: the driver's work per column (describing, then
 * parsing each) was most of what reading this row cost the app.
 */
const VERDICT_SQL = `SELECT json_build_object(${CLAIM_COLUMNS.map((column) => `'${column.slice(2)}', ${column}`).join(', ')},
         'candidate_slug', k.slug, 'candidate_name', k.name, 'candidate_running_mate', k.running_mate,
         'election_slug', e.slug, 'election_name', e.name, 'topics', tp.topics) AS claim,
       c.explanation_html, tl.page_timeline, ev.page_evidence, co.page_corrections,
       pc.g AS last_modified, pc.g::text AS stamp
  FROM claims c
  -- Looked up claim by claim through their primary keys: as joins, a plan for several slugs would hash
  -- all the candidates and scan all the elections first.
  CROSS JOIN LATERAL (
    SELECT k.slug, k.name, k.running_mate, k.updated_at FROM candidates k WHERE k.id = c.candidate_id OFFSET 0) k
  CROSS JOIN LATERAL (
    SELECT e.slug, e.name, e.updated_at FROM elections e WHERE e.id = c.election_id OFFSET 0) e
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name), '[]'::json)
             AS topics,
           max(t.updated_at) AS changed
      FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id
     WHERE ct.claim_id = c.id) tp
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('id', u.id, 'from_status', r.applied_from_status,
             'to_status', u.to_status, 'note', u.note, 'approved_at', r.created_at,
             'evidence', coalesce((SELECT json_agg(json_build_object('id', x.id, 'title', x.title,
                 'url', x.url, 'publisher', x.publisher, 'published_on', x.published_on,
                 'stance', x.stance) ORDER BY x.id)
               FROM status_update_evidence sue JOIN evidence x ON x.id = sue.evidence_id
               WHERE sue.status_update_id = u.id AND x.removed_at IS NULL), '[]'::json)) ORDER BY r.id DESC)
             FILTER (WHERE r.decision = 'approved'), '[]'::json) AS page_timeline,
           max(r.created_at) AS changed
      FROM status_updates u JOIN status_reviews r ON r.status_update_id = u.id
     WHERE u.claim_id = c.id) tl
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('id', x.id, 'url', x.url, 'title', x.title,
             'publisher', x.publisher, 'published_on', x.published_on, 'archive_url', x.archive_url,
             'excerpt', x.excerpt, 'stance', x.stance, 'created_at', x.created_at)
             ORDER BY x.published_on DESC NULLS LAST, x.id ASC) FILTER (WHERE x.removed_at IS NULL), '[]'::json)
             AS page_evidence,
           max(x.updated_at) AS changed
      FROM evidence x
     WHERE x.claim_id = c.id) ev
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'note', x.note,
             'created_at', x.created_at) ORDER BY x.id DESC), '[]'::json) AS page_corrections,
           max(x.created_at) AS changed
      FROM corrections x
     WHERE x.claim_id = c.id) co
  CROSS JOIN LATERAL (
    SELECT greatest(c.updated_at, k.updated_at, e.updated_at, tp.changed, tl.changed, ev.changed, co.changed)
             AS g
    OFFSET 0) pc
 WHERE c.slug = ANY (ARRAY(SELECT json_array_elements_text(?::json)))
   AND c.workflow_state IN ('published', 'retracted')`;

/** The most verdict pages read by one query. */
const VERDICT_BATCH = 32;

/** A public claim as JSON: its timestamps are text. */
export type ClaimJson = Omit<PublicClaim, 'published_at' | 'retracted_at' | 'created_at' | 'updated_at'> & {
  published_at: string | null;
  retracted_at: string | null;
  created_at: string;
  updated_at: string;
};

/** A public claim with its whole verdict page and the page's version, read in one query. */
export interface VerdictRow extends FreshnessRow {
  claim: ClaimJson;
  /** The explanation as HTML, stored when it was saved; null when it must be rendered to be shown. */
  explanation_html: string | null;
  page_timeline: (Omit<TimelineEntry, 'approved_at'> & { approved_at: string })[];
  page_evidence: (Omit<PublicEvidence, 'created_at'> & { created_at: string })[];
  page_corrections: (Omit<PublicCorrection, 'created_at'> & { created_at: string })[];
}

/**
 * How many verdict-page queries run at once before further first views wait to share the next one: half
 * the pool's connections (at least one), the rest stay for everything else.
 */
export function verdictQueriesAtOnce(db: Db): number {
  return Math.max(1, Math.floor(poolSize(db) / 2));
}

export function claimsRepository(db: Db) {
  // First views that arrive while the database is busy share one query (src/lib/batched-reads.ts).
  const verdictBySlug = batchedReads<VerdictRow>({
    concurrency: verdictQueriesAtOnce(db),
    maxBatch: VERDICT_BATCH,
    read: verdictsBySlugs,
  });

  /** The verdict pages of several claims at once (those that exist and are public), by slug. */
  async function verdictsBySlugs(slugs: string[]): Promise<Map<string, VerdictRow>> {
    const result = await db
      .raw(VERDICT_SQL, [JSON.stringify(slugs)])
      // A named (prepared) statement on PostgreSQL: planned once per connection rather than on every
      // first view, which is most of this query's cost. The text never varies, only the slugs.
      .options({ name: 'kj_verdicts_by_slugs' });
    const rows = (result as { rows: VerdictRow[] }).rows;
    return new Map(rows.map((row) => [row.claim.slug, row]));
  }

  function publicClaims() {
    return db('claims as c')
      .join('candidates as k', 'k.id', 'c.candidate_id')
      .join('elections as e', 'e.id', 'c.election_id')
      .select(CLAIM_COLUMNS)
      .select({
        candidate_slug: 'k.slug',
        candidate_name: 'k.name',
        candidate_running_mate: 'k.running_mate',
        election_slug: 'e.slug',
        election_name: 'e.name',
        // One query for the topics too: an array of {slug, name}, empty when there are none.
        topics: db.raw(
          `coalesce((SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name)
             FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id WHERE ct.claim_id = c.id), '[]'::json)`,
        ),
      });
  }

  /** Published claims only (retracted ones keep their page but leave every list), filtered. */
  function whereListed(query: Knex.QueryBuilder, filters: ResolvedFilters): Knex.QueryBuilder {
    query.where('c.workflow_state', 'published');
    if (filters.electionIds) query.whereIn('c.election_id', filters.electionIds);
    if (filters.candidateIds) query.whereIn('c.candidate_id', filters.candidateIds);
    if (filters.kinds.length > 0) query.whereIn('c.kind', filters.kinds);
    if (filters.statuses.length > 0) query.whereIn('c.status', filters.statuses);
    if (filters.topicIds) {
      const topicIds = filters.topicIds;
      query.whereExists((sub) => {
        sub
          .select(db.raw('1'))
          .from('claim_topics as ct')
          .whereRaw('ct.claim_id = c.id')
          .whereIn('ct.topic_id', topicIds);
      });
    }
    if (filters.q) query.whereRaw(`c.search @@ websearch_to_tsquery('indonesian', ?)`, [filters.q]);
    return query;
  }

  function afterCursor(query: Knex.QueryBuilder, cursor: ClaimCursor): void {
    if (cursor.sort === 'updated') {
      query.whereRaw('(c.updated_at, c.id) < (?::timestamptz, ?)', [cursor.key, cursor.id]);
    } else {
      query.whereRaw(`(${SAID_KEY}, c.id) < (?::date, ?)`, [cursor.key, cursor.id]);
    }
  }

  return {
    /**
     * One page of published claims: keyset pagination (after a cursor) stays as fast on page 5,000 as on
     * page 1; an offset is accepted for `?page=` links. Asks for one row more than the limit, so the
     * caller knows whether there is a next page.
     */
    async resolveFilters(filters: ClaimFilters): Promise<ResolvedFilters> {
      const resolved: ResolvedFilters = { q: filters.q, kinds: filters.kinds, statuses: filters.statuses };
      if (!filters.elections.length && !filters.candidates.length && !filters.topics.length) return resolved;
      const rows: { kind: 'e' | 'k' | 't'; id: number }[] = await db
        .select({ kind: db.raw("'e'"), id: 'id' })
        .from('elections')
        .whereIn('slug', filters.elections)
        .unionAll((q) =>
          q
            .select({ kind: db.raw("'k'"), id: 'id' })
            .from('candidates')
            .whereIn('slug', filters.candidates),
        )
        .unionAll((q) =>
          q
            .select({ kind: db.raw("'t'"), id: 'id' })
            .from('topics')
            .whereIn('slug', filters.topics),
        );
      const ids = (kind: string, given: string[]) =>
        given.length ? rows.filter((r) => r.kind === kind).map((r) => r.id) : undefined;
      return {
        ...resolved,
        electionIds: ids('e', filters.elections),
        candidateIds: ids('k', filters.candidates),
        topicIds: ids('t', filters.topics),
      };
    },

    async listPublished(
      filters: ResolvedFilters,
      page: { sort: ClaimSort; limit: number; after?: ClaimCursor | undefined; offset?: number },
    ): Promise<ListedClaim[]> {
      const query = whereListed(publicClaims(), filters)
        .select({ cursor_key: db.raw(CURSOR_KEY_SQL[page.sort]) })
        .orderByRaw(SORT_SQL[page.sort])
        .limit(page.limit);
      if (page.after) afterCursor(query, page.after);
      else if (page.offset) query.offset(page.offset);
      return query;
    },

    /**
     * How many published claims match, counting no further than `cap + 1`: past the cap a reader is told
     * "more than 200", and the count costs about the same at 100,000 claims as at 1,000.
     */
    async countPublished(filters: ResolvedFilters, cap: number): Promise<number> {
      // MATERIALIZED keeps the planner from seeing the LIMIT inside: with it, a common search word made it
      // read the table row by row, testing each tsvector (9.6 ms at 100,000 claims), where the GIN index
      // and a bitmap stop after cap + 1 rows (4.3 ms). The CTE is still read lazily, only that far.
      const row = await db
        .withMaterialized('matching', whereListed(db('claims as c'), filters).select(db.raw('1 AS one')))
        .from(
          db('matching')
            .select('one')
            .limit(cap + 1)
            .as('capped'),
        )
        .count<{ count: number }[]>({ count: '*' })
        .first();
      return Number(row?.count ?? 0);
    },

    /**
     * The newest published claims of each election, at most `perElection` each: one query, which reads
     * only those rows off the per-election index however many claims there are.
     */
    async latestPublishedByElections(electionIds: number[], perElection: number): Promise<PublicClaim[]> {
      if (electionIds.length === 0) return [];
      return publicClaims()
        .whereIn(
          'c.id',
          db
            .select('l.id')
            .from(db.raw('unnest(?::int[]) AS ids(id)', [electionIds]))
            .joinRaw(
              `CROSS JOIN LATERAL (SELECT id FROM claims WHERE election_id = ids.id AND workflow_state = 'published'
                 ORDER BY updated_at DESC, id DESC LIMIT ?) AS l`,
              [perElection],
            ),
        )
        .orderBy([
          { column: 'c.updated_at', order: 'desc' },
          { column: 'c.id', order: 'desc' },
        ]);
    },

    /**
     * A candidate's newest published claims of each status, at most `perStatus` each (the candidate page
     * groups them by status; the scoreboard gives the full counts).
     */
    async latestPublishedByCandidate(candidateId: number, perStatus: number): Promise<PublicClaim[]> {
      const ranked = publicClaims()
        .select({
          rank: db.raw(
            'row_number() OVER (PARTITION BY c.kind, c.status ORDER BY c.updated_at DESC, c.id DESC)',
          ),
        })
        .where('c.candidate_id', candidateId)
        .where('c.workflow_state', 'published');
      return db
        .select('*')
        .from(ranked.as('r'))
        .where('r.rank', '<=', perStatus)
        .orderBy([
          { column: 'r.updated_at', order: 'desc' },
          { column: 'r.id', order: 'desc' },
        ]);
    },

    /** A claim by its slug, if the public may see it (published, or retracted with its notice). */
    async findPublicBySlug(slug: string): Promise<PublicClaim | undefined> {
      return publicClaims()
        .where('c.slug', slug)
        .whereIn('c.workflow_state', ['published', 'retracted'])
        .first();
    },

    /**
     * When a public claim's page last changed: the claim, its candidate, election and topics, its
     * evidence, its approved status changes and its corrections. Undefined when the public may not see it.
     */
    async publicFreshness(slug: string): Promise<Freshness | undefined> {
      const row = await db
        .select({ last_modified: 's.g', stamp: db.raw('s.g::text'), id: 's.id', version: 's.version' })
        .from(
          db.raw(
            `(SELECT c.id, c.version, ${PAGE_CHANGED_SQL} AS g
              FROM claims c
              JOIN candidates k ON k.id = c.candidate_id
              JOIN elections e ON e.id = c.election_id
              WHERE c.slug = ? AND c.workflow_state IN ('published', 'retracted')) AS s`,
            [slug],
          ),
        )
        // Prepared once per connection (PostgreSQL): planning is most of this small query's cost.
        .options({ name: 'kj_verdict_freshness' })
        .first<(FreshnessRow & { id: number; version: number }) | undefined>();
      if (!row) return undefined;
      return toFreshness(row, `${row.id}:${row.version}`);
    },

    /**
     * A verdict page in one query: the claim as findPublicBySlug reads it, with what timelineOf,
     * evidenceOf and correctionsOf read (as JSON, in the same order) and what publicFreshness reads.
     * For a page that must be rendered anyway (a first view), one round trip instead of five; and
     * while the database is busy, one query for all the first views waiting (verdictsBySlugs).
     */
    verdictBySlug,

    /** The published status changes of a claim, newest approval first, with the visible evidence of each. */
    async timelineOf(claimId: number): Promise<TimelineEntry[]> {
      return db('status_updates as u')
        .join('status_reviews as r', 'r.status_update_id', 'u.id')
        .where('u.claim_id', claimId)
        .where('r.decision', 'approved')
        .select({
          id: 'u.id',
          from_status: 'r.applied_from_status',
          to_status: 'u.to_status',
          note: 'u.note',
          approved_at: 'r.created_at',
          evidence: db.raw(
            `coalesce((SELECT json_agg(json_build_object('id', ev.id, 'title', ev.title, 'url', ev.url,
                 'publisher', ev.publisher, 'published_on', ev.published_on, 'stance', ev.stance) ORDER BY ev.id)
               FROM status_update_evidence sue JOIN evidence ev ON ev.id = sue.evidence_id
               WHERE sue.status_update_id = u.id AND ev.removed_at IS NULL), '[]'::json)`,
          ),
        })
        .orderBy('r.id', 'desc');
    },

    /** The evidence of a claim that has not been hidden, newest publication first. */
    async evidenceOf(claimId: number): Promise<PublicEvidence[]> {
      return db('evidence')
        .where({ claim_id: claimId })
        .whereNull('removed_at')
        .select(
          'id',
          'url',
          'title',
          'publisher',
          'published_on',
          'archive_url',
          'excerpt',
          'stance',
          'created_at',
        )
        .orderBy([
          { column: 'published_on', order: 'desc', nulls: 'last' },
          { column: 'id', order: 'asc' },
        ]);
    },

    async correctionsOf(claimId: number): Promise<PublicCorrection[]> {
      return db('corrections')
        .where({ claim_id: claimId })
        .select('id', 'kind', 'note', 'created_at')
        .orderBy('id', 'desc');
    },

    /** The latest published status changes of published claims, newest approval first. */
    async latestVerdictChanges(limit: number): Promise<VerdictChange[]> {
      return db('status_reviews as r')
        .join('status_updates as u', 'u.id', 'r.status_update_id')
        .join('claims as c', 'c.id', 'u.claim_id')
        .join('candidates as k', 'k.id', 'c.candidate_id')
        .join('elections as e', 'e.id', 'c.election_id')
        .where('r.decision', 'approved')
        .where('c.workflow_state', 'published')
        .select({
          id: 'u.id',
          from_status: 'r.applied_from_status',
          to_status: 'u.to_status',
          note: 'u.note',
          approved_at: 'r.created_at',
          claim_slug: 'c.slug',
          claim_title: 'c.title',
          claim_kind: 'c.kind',
          candidate_name: 'k.name',
          election_name: 'e.name',
        })
        .orderBy('r.id', 'desc')
        .limit(limit);
    },

    /** Slug and last change of published claims in id order, for the sitemap (read a part at a time). */
    async publishedSlugs(offset: number, limit: number): Promise<{ slug: string; updated_at: Date }[]> {
      return db('claims')
        .where('workflow_state', 'published')
        .select('slug', 'updated_at')
        .orderBy('id')
        .offset(offset)
        .limit(limit);
    },

    /** Every topic, for the filter form. */
    async topics(): Promise<{ slug: string; name: string }[]> {
      return db('topics').select('slug', 'name').orderBy('name');
    },

    async countAllPublished(): Promise<number> {
      const row = await db('claims')
        .where('workflow_state', 'published')
        .count<{ count: number }[]>({ count: '*' })
        .first();
      return Number(row?.count ?? 0);
    },
  };
}

export type ClaimsRepository = ReturnType<typeof claimsRepository>;
