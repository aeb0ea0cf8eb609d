import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { ClaimKind, ClaimStatus, WorkflowState } from '../claims/scales';
import type { StatusReason } from '../term/reasons';

export interface StatusUpdate {
  id: number;
  claim_id: number;
  from_status: ClaimStatus;
  to_status: ClaimStatus;
  note: string;
  /** Why (broken, stalled and compromise only): a code of STATUS_REASONS, and a text for "other". */
  reason_code: StatusReason | null;
  reason_text: string | null;
  proposed_by: number | null;
  created_at: Date;
}

export interface StatusReview {
  id: number;
  status_update_id: number;
  decision: 'approved' | 'rejected';
  applied_from_status: ClaimStatus | null;
  reason: string | null;
  reviewed_by: number | null;
  created_at: Date;
}

/** A status update with its decision (if any), the evidence it rests on and its claim. */
export interface StatusUpdateView extends StatusUpdate {
  proposer_name: string | null;
  decision: 'approved' | 'rejected' | null;
  reason: string | null;
  applied_from_status: ClaimStatus | null;
  reviewer_name: string | null;
  reviewed_at: Date | null;
  claim_title: string | null;
  claim_quote: string;
  claim_kind: ClaimKind;
  claim_status: ClaimStatus;
  claim_workflow_state: WorkflowState;
  evidence: { id: number; title: string; url: string; removed: boolean }[];
}

export function statusUpdatesRepository(db: Db) {
  function viewQuery(q: Knex = db) {
    return q('status_updates as su')
      .join('claims as c', 'c.id', 'su.claim_id')
      .leftJoin('status_reviews as sr', 'sr.status_update_id', 'su.id')
      .leftJoin('users as p', 'p.id', 'su.proposed_by')
      .leftJoin('users as r', 'r.id', 'sr.reviewed_by')
      .select('su.*', {
        proposer_name: 'p.display_name',
        decision: 'sr.decision',
        reason: 'sr.reason',
        applied_from_status: 'sr.applied_from_status',
        reviewer_name: 'r.display_name',
        reviewed_at: 'sr.created_at',
        claim_title: 'c.title',
        claim_quote: 'c.quote',
        claim_kind: 'c.kind',
        claim_status: 'c.status',
        claim_workflow_state: 'c.workflow_state',
        evidence: q.raw(
          `coalesce((SELECT json_agg(json_build_object('id', ev.id, 'title', ev.title, 'url', ev.url,
                       'removed', ev.removed_at IS NOT NULL) ORDER BY ev.id)
                     FROM status_update_evidence sue JOIN evidence ev ON ev.id = sue.evidence_id
                    WHERE sue.status_update_id = su.id), '[]'::json)`,
        ),
      });
  }

  return {
    async find(id: number, trx: Knex = db): Promise<StatusUpdateView | undefined> {
      return viewQuery(trx).where('su.id', id).first();
    },
    async forClaim(claimId: number): Promise<StatusUpdateView[]> {
      return viewQuery().where('su.claim_id', claimId).orderBy('su.id', 'desc');
    },
    /** Proposals nobody has decided on yet, oldest first; only one person's when `proposedBy` is given. */
    async pending(options: { proposedBy?: number; limit: number }): Promise<StatusUpdateView[]> {
      const q = viewQuery().whereNull('sr.id');
      if (options.proposedBy !== undefined) q.where('su.proposed_by', options.proposedBy);
      return q.orderBy('su.id', 'asc').limit(options.limit);
    },
    async insert(
      trx: Knex,
      update: Pick<StatusUpdate, 'claim_id' | 'from_status' | 'to_status' | 'note' | 'proposed_by'> &
        Partial<Pick<StatusUpdate, 'reason_code' | 'reason_text'>>,
      evidenceIds: number[],
    ): Promise<StatusUpdate> {
      const [row] = await trx<StatusUpdate>('status_updates').insert(update).returning('*');
      const created = row as StatusUpdate;
      if (evidenceIds.length > 0) {
        await trx('status_update_evidence').insert(
          evidenceIds.map((evidence_id) => ({ status_update_id: created.id, evidence_id })),
        );
      }
      return created;
    },
    /** Every status update with its decision and evidence ids, for the CSV export, oldest first. */
    async exportRows(): Promise<Record<string, unknown>[]> {
      return db('status_updates as su')
        .join('claims as c', 'c.id', 'su.claim_id')
        .leftJoin('status_reviews as sr', 'sr.status_update_id', 'su.id')
        .select(
          'su.id',
          'su.claim_id',
          'su.from_status',
          'su.to_status',
          'su.note',
          'su.reason_code',
          'su.reason_text',
          'su.proposed_by',
          'su.created_at',
          {
            claim_slug: 'c.slug',
            decision: 'sr.decision',
            applied_from_status: 'sr.applied_from_status',
            reason: 'sr.reason',
            reviewed_by: 'sr.reviewed_by',
            reviewed_at: 'sr.created_at',
            evidence_ids: db.raw(
              "coalesce((SELECT string_agg(sue.evidence_id::text, ';' ORDER BY sue.evidence_id) FROM status_update_evidence sue WHERE sue.status_update_id = su.id), '')",
            ),
          },
        )
        .orderBy('su.id', 'asc');
    },
    async evidenceIds(trx: Knex, updateId: number): Promise<number[]> {
      const rows: { evidence_id: number }[] = await trx('status_update_evidence')
        .select('evidence_id')
        .where({ status_update_id: updateId })
        .orderBy('evidence_id');
      return rows.map((r) => r.evidence_id);
    },
    async activeEvidenceCount(trx: Knex, updateId: number): Promise<number> {
      const row = await trx('status_update_evidence as sue')
        .join('evidence as ev', 'ev.id', 'sue.evidence_id')
        .where('sue.status_update_id', updateId)
        .whereNull('ev.removed_at')
        .count<{ n: number }[]>({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
    async hasAny(trx: Knex, claimId: number): Promise<boolean> {
      return Boolean(await trx('status_updates').where({ claim_id: claimId }).first('id'));
    },
    async review(trx: Knex, updateId: number): Promise<StatusReview | undefined> {
      return trx<StatusReview>('status_reviews').where({ status_update_id: updateId }).first();
    },
    async insertReview(
      trx: Knex,
      review: Pick<
        StatusReview,
        'status_update_id' | 'decision' | 'applied_from_status' | 'reason' | 'reviewed_by'
      >,
    ): Promise<StatusReview> {
      const [row] = await trx<StatusReview>('status_reviews').insert(review).returning('*');
      return row as StatusReview;
    },
  };
}

export type StatusUpdatesRepository = ReturnType<typeof statusUpdatesRepository>;
