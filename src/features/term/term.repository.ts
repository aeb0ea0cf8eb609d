import type { Db } from '../../db';
import type { ClaimStatus } from '../claims/scales';
import type { Agency, AgencyStatusCount } from './agencies.repository';
import type { StatusReason } from './reasons';
import type { ListedReport } from './reports.repository';

/** The approved status change that gave a published claim its status now, for claims `c`. */
const CURRENT_REASON_SQL = `CROSS JOIN LATERAL (
    SELECT u.reason_code, u.reason_text
      FROM status_updates u JOIN status_reviews r ON r.status_update_id = u.id AND r.decision = 'approved'
     WHERE u.claim_id = c.id
     ORDER BY r.id DESC
     LIMIT 1) cur`;

export interface ReasonCount {
  reason: StatusReason;
  count: number;
}

/** A published promise with its approved status changes, oldest first: what the history chart reads. */
export interface PromiseHistory {
  id: number;
  /** When it counts from: the day it was said, or the day it was published. */
  since: string;
  changes: { at: Date; to: ClaimStatus }[];
}

/** A published promise as term pages list it (the claim card's fields, and its deadline). */
export interface TermPromise {
  id: number;
  slug: string;
  kind: 'promise';
  title: string;
  status: ClaimStatus;
  said_on: string | null;
  deadline: string | null;
  candidate_id: number;
  candidate_name: string;
  candidate_slug: string;
}

/** Published promises of a candidate counted by topic (topic null: none given). */
export interface TopicStatusCount {
  candidate_id: number;
  topic_slug: string | null;
  topic_name: string | null;
  count: number;
}

const TERM_PROMISE_SELECT = `SELECT c.id, c.slug, c.kind, c.title, c.status, c.said_on::text AS said_on,
         c.deadline::text AS deadline, c.candidate_id, k.name AS candidate_name, k.slug AS candidate_slug
    FROM claims c JOIN candidates k ON k.id = c.candidate_id`;

type RawHistory = { id: number; since: string; changes: { at: string; to: ClaimStatus }[] };

/** The published promises whose `column` is the query's next binding (or `value`), with their changes, as JSON. */
function historiesJson(column: string, value = '?'): string {
  return `coalesce((SELECT json_agg(h ORDER BY h.id) FROM (
      SELECT c.id, coalesce(c.said_on, (c.published_at AT TIME ZONE 'UTC')::date)::text AS since,
             coalesce((SELECT json_agg(json_build_object('at', r.created_at, 'to', u.to_status) ORDER BY r.id)
                         FROM status_updates u
                         JOIN status_reviews r ON r.status_update_id = u.id AND r.decision = 'approved'
                        WHERE u.claim_id = c.id), '[]'::json) AS changes
        FROM claims c
       WHERE ${column} = ${value} AND c.workflow_state = 'published' AND c.kind = 'promise') h), '[]'::json)`;
}

function toHistories(rows: RawHistory[]): PromiseHistory[] {
  return rows.map((row) => ({
    id: row.id,
    since: row.since,
    changes: row.changes.map((change) => ({ at: new Date(change.at), to: change.to })),
  }));
}

/** A report as lists show it (ListedReport), for milestone_reports `r` of candidate `k`. */
const LISTED_REPORT_JSON = `'id', r.id, 'candidate_id', r.candidate_id, 'slug', r.slug, 'milestone', r.milestone,
  'title', r.title, 'as_of', r.as_of::text, 'previous_id', r.previous_id, 'published_by', r.published_by,
  'published_at', r.published_at, 'candidate_slug', k.slug, 'candidate_name', k.name,
  'corrections', (SELECT count(*)::int FROM milestone_report_corrections x WHERE x.report_id = r.id)`;

export function termRepository(db: Db) {
  return {
    /** The published promises of a set of candidates, or of an agency, by deadline then id. */
    async promises(scope: { candidateIds: number[] } | { agencyId: number }): Promise<TermPromise[]> {
      const [where, binding] =
        'agencyId' in scope
          ? ['c.agency_id = ?', scope.agencyId]
          : [
              'c.candidate_id IN (SELECT json_array_elements_text(?::json)::int)',
              JSON.stringify(scope.candidateIds),
            ];
      const result = await db.raw(
        `${TERM_PROMISE_SELECT}
          WHERE ${where} AND c.workflow_state = 'published' AND c.kind = 'promise'
          ORDER BY c.deadline NULLS LAST, c.id`,
        [binding],
      );
      return (result as { rows: TermPromise[] }).rows;
    },

    /** How many published promises each of these candidates has on each topic. */
    async topicCounts(candidateIds: number[]): Promise<TopicStatusCount[]> {
      if (candidateIds.length === 0) return [];
      const result = await db.raw(
        `SELECT c.candidate_id, t.slug AS topic_slug, t.name AS topic_name, count(*)::int AS count
           FROM claims c
           LEFT JOIN claim_topics ct ON ct.claim_id = c.id
           LEFT JOIN topics t ON t.id = ct.topic_id
          WHERE c.candidate_id IN (SELECT json_array_elements_text(?::json)::int)
            AND c.workflow_state = 'published' AND c.kind = 'promise'
          GROUP BY c.candidate_id, t.slug, t.name
          ORDER BY t.name NULLS LAST`,
        [JSON.stringify(candidateIds)],
      );
      return (result as { rows: TopicStatusCount[] }).rows;
    },

    /** The reason each of these claims has its status for (claims without one are left out). */
    async currentReasons(
      claimIds: number[],
    ): Promise<Map<number, { reason_code: StatusReason; reason_text: string | null }>> {
      if (claimIds.length === 0) return new Map();
      const result = await db.raw(
        `SELECT c.id, cur.reason_code, cur.reason_text
           FROM claims c ${CURRENT_REASON_SQL}
          WHERE c.id IN (SELECT json_array_elements_text(?::json)::int) AND c.status IN ('broken', 'stalled', 'compromise')
            AND cur.reason_code IS NOT NULL`,
        [JSON.stringify(claimIds)],
      );
      const rows = (
        result as { rows: { id: number; reason_code: StatusReason; reason_text: string | null }[] }
      ).rows;
      return new Map(
        rows.map((row) => [row.id, { reason_code: row.reason_code, reason_text: row.reason_text }]),
      );
    },

    /** The published promises of a candidate or an election, each with its approved changes. */
    async promiseHistories(
      scope: { candidateId: number } | { electionId: number },
    ): Promise<PromiseHistory[]> {
      const [column, id] =
        'candidateId' in scope ? ['c.candidate_id', scope.candidateId] : ['c.election_id', scope.electionId];
      const result = await db.raw(`SELECT ${historiesJson(column)} AS histories`, [id]);
      return toHistories((result as { rows: { histories: RawHistory[] }[] }).rows[0]?.histories ?? []);
    },

    /**
     * What the election page shows of the term, in one query: its promises' histories (the chart), its
     * agencies, and its published promises counted by agency and status.
     */
    async electionTerm(electionId: number): Promise<{
      histories: PromiseHistory[];
      agencies: Agency[];
      counts: AgencyStatusCount[];
    }> {
      const result = await db.raw(
        `SELECT ${historiesJson('c.election_id')} AS histories,
                coalesce((SELECT json_agg(a ORDER BY a.name) FROM agencies a WHERE a.election_id = ?), '[]'::json)
                  AS agencies,
                coalesce((SELECT json_agg(x) FROM (
                   SELECT c.agency_id, c.status, count(*)::int AS count
                     FROM claims c
                    WHERE c.election_id = ? AND c.workflow_state = 'published' AND c.kind = 'promise'
                    GROUP BY c.agency_id, c.status) x), '[]'::json) AS counts`,
        [electionId, electionId, electionId],
      );
      const row = (
        result as { rows: { histories: RawHistory[]; agencies: Agency[]; counts: AgencyStatusCount[] }[] }
      ).rows[0];
      return {
        histories: toHistories(row?.histories ?? []),
        agencies: row?.agencies ?? [],
        counts: row?.counts ?? [],
      };
    },

    /**
     * What the candidate page shows of the term, in one query: the reasons counted, the promises'
     * histories, the milestone reports, and for the winning ticket the term's dates and its promises.
     */
    async candidateTerm(candidateId: number): Promise<{
      reasons: ReasonCount[];
      histories: PromiseHistory[];
      reports: ListedReport[];
      term: { start: string; end: string } | null;
      promises: TermPromise[];
    }> {
      const result = await db.raw(
        `SELECT coalesce((SELECT json_agg(x ORDER BY x.count DESC, x.reason) FROM (
                   SELECT cur.reason_code AS reason, count(*)::int AS count
                     FROM claims c ${CURRENT_REASON_SQL}
                    WHERE c.candidate_id = k.id AND c.workflow_state = 'published' AND c.kind = 'promise'
                      AND c.status IN ('broken', 'stalled', 'compromise') AND cur.reason_code IS NOT NULL
                    GROUP BY cur.reason_code) x), '[]'::json) AS reasons,
                ${historiesJson('c.candidate_id', 'k.id')} AS histories,
                coalesce((SELECT json_agg(json_build_object(${LISTED_REPORT_JSON}) ORDER BY r.as_of DESC)
                   FROM milestone_reports r WHERE r.candidate_id = k.id), '[]'::json) AS reports,
                CASE WHEN k.is_winner AND e.term_start IS NOT NULL AND e.term_end IS NOT NULL
                     THEN json_build_object('start', e.term_start::text, 'end', e.term_end::text) END AS term,
                CASE WHEN k.is_winner THEN coalesce((SELECT json_agg(p ORDER BY p.deadline NULLS LAST, p.id) FROM (
                   ${TERM_PROMISE_SELECT}
                    WHERE c.candidate_id = ? AND c.workflow_state = 'published' AND c.kind = 'promise') p),
                   '[]'::json) ELSE '[]'::json END AS promises
           FROM candidates k JOIN elections e ON e.id = k.election_id
          WHERE k.id = ?`,
        [candidateId, candidateId],
      );
      const row = (
        result as {
          rows: {
            reasons: ReasonCount[];
            histories: RawHistory[];
            reports: (Omit<ListedReport, 'published_at'> & { published_at: string })[];
            term: { start: string; end: string } | null;
            promises: TermPromise[];
          }[];
        }
      ).rows[0];
      return {
        reasons: row?.reasons ?? [],
        histories: toHistories(row?.histories ?? []),
        reports: (row?.reports ?? []).map((r) => ({ ...r, published_at: new Date(r.published_at) })),
        term: row?.term ?? null,
        promises: row?.promises ?? [],
      };
    },
  };
}

export type TermRepository = ReturnType<typeof termRepository>;
