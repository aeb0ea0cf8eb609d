import type { Knex } from 'knex';
import type { Db } from '../../db';
import { AGENCY_JSON_SQL } from '../term/agencies';
import { CLAIM_COLUMNS } from './claim-columns';
import type {
  ClaimCursor,
  ClaimFilters,
  ClaimSort,
  ListedClaim,
  PublicClaim,
  ResolvedFilters,
  VerdictChange,
} from './claims.types';

const PREFIXED_COLUMNS = CLAIM_COLUMNS.map((column) => `c.${column}`);

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
export function claimsRepository(db: Db) {
  function publicClaims() {
    return db('claims as c')
      .join('candidates as k', 'k.id', 'c.candidate_id')
      .join('elections as e', 'e.id', 'c.election_id')
      .leftJoin('events as evt', 'evt.id', 'c.event_id')
      .select(PREFIXED_COLUMNS)
      .select({
        event_slug: 'evt.slug',
        event_name: 'evt.name',
        event_kind: 'evt.kind',
        event_held_on: 'evt.held_on',
        event_video_url: 'evt.video_url',
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
        agency: db.raw(AGENCY_JSON_SQL),
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
    /** Election, candidate and topic slugs as ids, in one query (none when no filter names any). */
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

    /**
     * One page of published claims: keyset pagination (after a cursor) stays as fast on page 5,000 as on
     * page 1; an offset is accepted for `?page=` links. Asks for one row more than the limit, so the
     * caller knows whether there is a next page.
     */
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
