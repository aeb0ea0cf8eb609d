import type { Db } from '../../db';
import type { ClaimStatus } from '../claims/scales';
import type { StatusReason } from './reasons';

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

    /** Why a candidate's published promises stand at broken, stalled or compromise now, counted. */
    async reasonCounts(candidateId: number): Promise<ReasonCount[]> {
      const result = await db.raw(
        `SELECT cur.reason_code AS reason, count(*)::int AS count
           FROM claims c ${CURRENT_REASON_SQL}
          WHERE c.candidate_id = ? AND c.workflow_state = 'published' AND c.kind = 'promise'
            AND c.status IN ('broken', 'stalled', 'compromise') AND cur.reason_code IS NOT NULL
          GROUP BY cur.reason_code
          ORDER BY count(*) DESC, cur.reason_code`,
        [candidateId],
      );
      return (result as { rows: ReasonCount[] }).rows;
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
      const result = await db.raw(
        `SELECT c.id, coalesce(c.said_on, (c.published_at AT TIME ZONE 'UTC')::date)::text AS since,
                coalesce((SELECT json_agg(json_build_object('at', r.created_at, 'to', u.to_status) ORDER BY r.id)
                            FROM status_updates u
                            JOIN status_reviews r ON r.status_update_id = u.id AND r.decision = 'approved'
                           WHERE u.claim_id = c.id), '[]'::json) AS changes
           FROM claims c
          WHERE ${column} = ? AND c.workflow_state = 'published' AND c.kind = 'promise'
          ORDER BY c.id`,
        [id],
      );
      const rows = (
        result as { rows: { id: number; since: string; changes: { at: string; to: ClaimStatus }[] }[] }
      ).rows;
      return rows.map((row) => ({
        id: row.id,
        since: row.since,
        changes: row.changes.map((change) => ({ at: new Date(change.at), to: change.to })),
      }));
    },
  };
}

export type TermRepository = ReturnType<typeof termRepository>;
