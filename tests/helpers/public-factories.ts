import type { Knex } from 'knex';
import type { Claim } from '../../src/features/claims/claims.types';
import {
  type ClaimKind,
  type ClaimStatus,
  type EvidenceStance,
  INITIAL_STATUS,
} from '../../src/features/claims/scales';
import { needsReason, type StatusReason } from '../../src/features/term/reasons';
import { type ClaimOverrides, createClaim, createEvidence, unique } from './factories';

// Rows for the public pages, written straight into the tables: the public side reads what the newsroom
// workflow writes, and these tests must not depend on that workflow.

export interface StatusChange {
  claim_id: number;
  from: ClaimStatus;
  to: ClaimStatus;
  note?: string;
  evidence_ids?: number[];
  /** When the editor approved it (defaults to now). */
  approved_at?: Date;
  /** Why (broken, stalled, compromise): defaults to 'not_prioritised' for those, none for the rest. */
  reason?: StatusReason;
  reason_text?: string;
}

/** A proposed status update that an editor approved: on the public timeline, and the claim's status now. */
export async function approveStatusChange(db: Knex, change: StatusChange) {
  const update = await proposeStatusChange(db, change);
  const [review] = await db('status_reviews')
    .insert({
      status_update_id: update.id,
      decision: 'approved',
      applied_from_status: change.from,
      ...(change.approved_at ? { created_at: change.approved_at } : {}),
    })
    .returning('*');
  await db('claims')
    .where({ id: change.claim_id })
    .update({ status: change.to, version: db.raw('version + 1'), updated_at: db.fn.now() });
  return { update, review };
}

/** A status update proposed by a reporter and not (yet) reviewed. */
export async function proposeStatusChange(db: Knex, change: StatusChange) {
  const [update] = await db('status_updates')
    .insert({
      claim_id: change.claim_id,
      from_status: change.from,
      to_status: change.to,
      note: change.note ?? `Catatan ${unique('status')}`,
      reason_code: change.reason ?? (needsReason(change.to) ? 'not_prioritised' : null),
      reason_text: change.reason_text ?? null,
    })
    .returning('*');
  if (change.evidence_ids?.length) {
    await db('status_update_evidence').insert(
      change.evidence_ids.map((evidence_id) => ({ status_update_id: update.id, evidence_id })),
    );
  }
  return update as { id: number; claim_id: number; note: string };
}

export async function rejectStatusChange(db: Knex, change: StatusChange) {
  const update = await proposeStatusChange(db, change);
  await db('status_reviews').insert({
    status_update_id: update.id,
    decision: 'rejected',
    reason: 'Bukti belum cukup',
  });
  return update;
}

export interface RatedClaimOptions extends Omit<ClaimOverrides, 'status'> {
  kind?: ClaimKind;
  status: ClaimStatus;
  evidence?: { stance?: EvidenceStance; title?: string; url?: string }[];
  note?: string;
}

/**
 * A published claim rated through one approved status change from its kind's first status, resting on
 * its evidence (one supporting source unless told otherwise).
 */
export async function createRatedClaim(db: Knex, options: RatedClaimOptions) {
  const { status, evidence: evidenceSpecs, note, ...overrides } = options;
  const kind = overrides.kind ?? 'statement';
  const initial = INITIAL_STATUS[kind];
  const claim = await createClaim(db, { ...overrides, kind, status: initial });
  const evidence = [];
  for (const spec of evidenceSpecs ?? [{ stance: 'supports' as const }]) {
    evidence.push(await createEvidence(db, { claim_id: claim.id, ...spec }));
  }
  const { update, review } = await approveStatusChange(db, {
    claim_id: claim.id,
    from: initial,
    to: status,
    note: note ?? `Dinilai ${unique('catatan')}`,
    evidence_ids: evidence.map((e) => e.id),
  });
  const fresh: Claim = await db('claims').where({ id: claim.id }).first();
  return { claim: fresh, evidence, update, review };
}

export async function addCorrection(
  db: Knex,
  correction: { claim_id: number; kind: 'verdict_changed' | 'retracted' | 'edited'; note?: string },
) {
  const [row] = await db('corrections')
    .insert({ note: `Koreksi ${unique()}`, ...correction })
    .returning('*');
  return row as { id: number; note: string; created_at: Date };
}

/** Evidence removed by an editor: kept in the table, hidden from the public. */
export async function hideEvidence(db: Knex, evidenceId: number) {
  await db('evidence').where({ id: evidenceId }).update({
    removed_at: db.fn.now(),
    removal_reason: 'Sumber tidak dapat dipercaya',
    updated_at: db.fn.now(),
  });
}
