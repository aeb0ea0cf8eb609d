import type { Knex } from 'knex';
import type { Db } from '../../db';
import { AGENCY_JSON_SQL } from './agencies';
import type { ClaimAtDate, Milestone, ReportSnapshot } from './reports';

export interface MilestoneReport {
  id: number;
  candidate_id: number;
  slug: string;
  milestone: Milestone;
  title: string;
  as_of: string;
  intro: string;
  snapshot: ReportSnapshot;
  previous_id: number | null;
  published_by: number | null;
  published_at: Date;
}

export interface ReportCorrection {
  id: number;
  report_id: number;
  note: string;
  intro: string | null;
  created_by: number | null;
  created_at: Date;
}

/** A report in lists (the candidate page, the feed, the sitemap): without its snapshot. */
export type ListedReport = Omit<MilestoneReport, 'snapshot' | 'intro'> & {
  candidate_slug: string;
  candidate_name: string;
  corrections: number;
};

const LISTED = [
  'r.id',
  'r.candidate_id',
  'r.slug',
  'r.milestone',
  'r.title',
  'r.as_of',
  'r.previous_id',
  'r.published_by',
  'r.published_at',
];

export function reportsRepository(db: Db) {
  function listed(q: Knex = db) {
    return q('milestone_reports as r')
      .join('candidates as k', 'k.id', 'r.candidate_id')
      .select(LISTED)
      .select({
        candidate_slug: 'k.slug',
        candidate_name: 'k.name',
        corrections: q.raw(
          '(SELECT count(*)::int FROM milestone_report_corrections x WHERE x.report_id = r.id)',
        ),
      });
  }

  return {
    /** A candidate's reports, newest date first. */
    async ofCandidate(candidateId: number, trx: Knex = db): Promise<ListedReport[]> {
      return listed(trx).where('r.candidate_id', candidateId).orderBy('r.as_of', 'desc');
    },
    /** The latest published reports of every candidate, newest first (the feed). */
    async latest(limit: number): Promise<ListedReport[]> {
      return listed().orderBy('r.published_at', 'desc').orderBy('r.id', 'desc').limit(limit);
    },
    /** Every report (the sitemap). */
    async all(): Promise<ListedReport[]> {
      return listed().orderBy('r.id');
    },
    async find(id: number, trx: Knex = db): Promise<MilestoneReport | undefined> {
      return trx<MilestoneReport>('milestone_reports').where({ id }).first();
    },
    async findBySlug(candidateId: number, slug: string): Promise<MilestoneReport | undefined> {
      return db<MilestoneReport>('milestone_reports').where({ candidate_id: candidateId, slug }).first();
    },
    async corrections(reportId: number, trx: Knex = db): Promise<ReportCorrection[]> {
      return trx<ReportCorrection>('milestone_report_corrections')
        .where({ report_id: reportId })
        .orderBy('id', 'asc');
    },
    async insert(
      trx: Knex,
      row: Omit<MilestoneReport, 'id' | 'published_at' | 'snapshot'> & { snapshot: ReportSnapshot },
    ): Promise<MilestoneReport> {
      const [created] = await trx('milestone_reports')
        .insert({ ...row, snapshot: JSON.stringify(row.snapshot) })
        .returning('*');
      return created as MilestoneReport;
    },
    async insertCorrection(
      trx: Knex,
      row: Omit<ReportCorrection, 'id' | 'created_at'>,
    ): Promise<ReportCorrection> {
      const [created] = await trx('milestone_report_corrections').insert(row).returning('*');
      return created as ReportCorrection;
    },

    /**
     * A candidate's claims published before `cutoff`, each with the status its latest approved change
     * before `cutoff` gave it (its first status if none), and that change's reason. Read in the
     * transaction that stores the report, so that the snapshot is of one moment.
     */
    async claimsAt(trx: Knex, candidateId: number, cutoff: Date): Promise<ClaimAtDate[]> {
      const result = await trx.raw(
        `SELECT c.id, c.slug, c.kind, c.title, c.deadline::text AS deadline, ${AGENCY_JSON_SQL} AS agency,
                coalesce(cur.to_status, CASE c.kind WHEN 'promise' THEN 'not_rated' ELSE 'unverified' END) AS status,
                cur.reason_code, cur.reason_text
           FROM claims c
           LEFT JOIN LATERAL (
             SELECT u.to_status, u.reason_code, u.reason_text
               FROM status_updates u
               JOIN status_reviews r ON r.status_update_id = u.id AND r.decision = 'approved'
              WHERE u.claim_id = c.id AND r.created_at < ?
              ORDER BY r.created_at DESC, r.id DESC
              LIMIT 1) cur ON true
          WHERE c.candidate_id = ? AND c.workflow_state = 'published' AND c.published_at < ?
          ORDER BY c.id`,
        [cutoff, candidateId, cutoff],
      );
      return (result as { rows: ClaimAtDate[] }).rows;
    },
  };
}

export type ReportsRepository = ReturnType<typeof reportsRepository>;
