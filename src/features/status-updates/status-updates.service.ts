import type { Knex } from 'knex';
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import { CLAIM_TEXT_FIELDS } from '../claim-editing/claim-editing.schemas';
import type { NewsroomClaim, NewsroomClaimsRepository } from '../claim-editing/newsroom-claims.repository';
import type { Claim } from '../claims/claims.types';
import { isFinalStatus, isStatusOnScale } from '../claims/scales';
import type { EvidenceListItem, EvidenceRepository } from '../evidence/evidence.repository';
import { idList, optionalText, optionalVersion, requiredText } from '../newsroom/forms';
import { staleVersionError } from '../newsroom/stale';
import { checkReason } from '../term/reason-rules';
import { type Actor, hasRole } from '../users/accounts';
import type { StatusUpdate, StatusUpdatesRepository, StatusUpdateView } from './status-updates.repository';

export const STATUS_FIELDS = ['status', 'reason', 'reason_text', 'note', 'evidence_ids', 'version'] as const;

const statusChangeSchema = z.object({
  status: requiredText(40),
  reason: optionalText(60),
  reason_text: optionalText(500),
  note: requiredText(2000),
  evidence_ids: idList(),
  version: optionalVersion(),
});

const rejectionSchema = z.object({ reason: requiredText(2000) });

/**
 * Status changes are their own action. A reporter's change is a proposal until an editor approves it;
 * an editor's own change is proposed and approved in one transaction. Approval moves the claim's status
 * in that same transaction. Proposals and decisions are rows that never change (see docs/DECISIONS.md).
 */
export function statusUpdatesService(deps: {
  db: Knex;
  statusUpdates: StatusUpdatesRepository;
  claims: NewsroomClaimsRepository;
  evidence: EvidenceRepository;
  audit: AuditRepository;
  /** Queues the news of a published change for its followers, in the approving transaction (outbox). */
  announce?: (
    trx: Knex,
    change: { statusUpdateId: number; claimId: number; candidateId: number; electionId: number },
  ) => Promise<void>;
}) {
  const { db, statusUpdates, claims, evidence, audit } = deps;

  async function lockClaim(trx: Knex, id: number): Promise<Claim> {
    const claim = await claims.lock(trx, id);
    if (!claim) throw new NotFoundError();
    return claim;
  }

  /** Records the approval, moves the claim's status, and notes a changed published verdict publicly. */
  async function approve(trx: Knex, update: StatusUpdate, claim: Claim, actor: Actor) {
    const review = await statusUpdates.insertReview(trx, {
      status_update_id: update.id,
      decision: 'approved',
      applied_from_status: claim.status,
      reason: null,
      reviewed_by: actor.id,
    });
    const after = await claims.update(trx, claim.id, claim.version, { status: update.to_status });
    if (!after) throw new ConflictError('stale_version');
    if (
      claim.workflow_state === 'published' &&
      isFinalStatus(claim.status) &&
      claim.status !== update.to_status
    ) {
      await claims.insertCorrection(trx, {
        claim_id: claim.id,
        kind: 'verdict_changed',
        note: update.note,
        created_by: actor.id,
      });
    }
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'status_update.approve',
      entity: 'status_update',
      entityId: update.id,
      after: review,
      requestId: actor.requestId,
    });
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'claim.status_change',
      entity: 'claim',
      entityId: claim.id,
      before: claim,
      after: { ...after, status_update_id: update.id },
      requestId: actor.requestId,
    });
    if (claim.workflow_state === 'published') {
      await deps.announce?.(trx, {
        statusUpdateId: update.id,
        claimId: claim.id,
        candidateId: claim.candidate_id,
        electionId: claim.election_id,
      });
    }
  }

  async function undecided(trx: Knex, id: number): Promise<StatusUpdateView> {
    const update = await statusUpdates.find(id, trx);
    if (!update) throw new NotFoundError();
    if (await statusUpdates.review(trx, id)) throw new ConflictError('already_reviewed');
    return update;
  }

  return {
    async page(
      claimId: number,
    ): Promise<{ claim: NewsroomClaim; evidence: EvidenceListItem[]; updates: StatusUpdateView[] }> {
      const claim = await claims.find(claimId);
      if (!claim) throw new NotFoundError();
      const [evidenceList, updates] = await Promise.all([
        evidence.listForClaim(claimId),
        statusUpdates.forClaim(claimId),
      ]);
      return { claim, evidence: evidenceList.filter((e) => !e.removed_at), updates };
    },

    pending(actor: Actor, limit = 100): Promise<StatusUpdateView[]> {
      return statusUpdates.pending(hasRole(actor, 'editor') ? { limit } : { proposedBy: actor.id, limit });
    },

    /** A new status with its note and evidence; approved at once when an editor makes it. */
    async propose(
      claimId: number,
      input: unknown,
      actor: Actor,
    ): Promise<{ update: StatusUpdate; approved: boolean }> {
      const data = parseOrThrow(statusChangeSchema, input);
      return db.transaction(async (trx) => {
        const claim = await lockClaim(trx, claimId);
        if (claim.workflow_state === 'retracted') throw new ConflictError('claim_retracted');
        if (data.version !== undefined && data.version !== claim.version) {
          throw await staleVersionError(trx, audit, 'claim', claim, data.version, CLAIM_TEXT_FIELDS);
        }
        if (!isStatusOnScale(claim.kind, data.status))
          throw new ValidationError({ status: 'invalid_choice' });
        if (data.status === claim.status) throw new ValidationError({ status: 'status_unchanged' });
        const reason = checkReason(data.status, data.reason, data.reason_text);
        const usable = await evidence.activeIdsOfClaim(trx, claimId, data.evidence_ids);
        if (usable.length !== data.evidence_ids.length)
          throw new ValidationError({ evidence_ids: 'invalid_choice' });
        // PRODUCT.md: a final rating rests on at least one piece of evidence.
        if (isFinalStatus(data.status) && usable.length === 0) {
          throw new ValidationError({ evidence_ids: 'evidence_required' });
        }
        const update = await statusUpdates.insert(
          trx,
          {
            claim_id: claimId,
            from_status: claim.status,
            to_status: data.status,
            note: data.note,
            ...reason,
            proposed_by: actor.id,
          },
          usable,
        );
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'status_update.propose',
          entity: 'status_update',
          entityId: update.id,
          after: { ...update, evidence_ids: usable },
          requestId: actor.requestId,
        });
        const direct = hasRole(actor, 'editor');
        if (direct) await approve(trx, update, claim, actor);
        return { update, approved: direct };
      });
    },

    async approve(updateId: number, actor: Actor): Promise<StatusUpdate> {
      if (!hasRole(actor, 'editor')) throw new ForbiddenError('editor_required');
      return db.transaction(async (trx) => {
        const found = await statusUpdates.find(updateId, trx);
        if (!found) throw new NotFoundError();
        const claim = await lockClaim(trx, found.claim_id);
        const update = await undecided(trx, updateId);
        if (claim.workflow_state === 'retracted') throw new ConflictError('claim_retracted');
        if (!isStatusOnScale(claim.kind, update.to_status)) throw new ConflictError('status_not_on_scale');
        // Another approval since the proposal may already have given the claim this status: approving it
        // again would put a change from a status to itself on the public timeline.
        if (update.to_status === claim.status) throw new ConflictError('status_unchanged');
        // The evidence may have been removed since the proposal.
        if (
          isFinalStatus(update.to_status) &&
          (await statusUpdates.activeEvidenceCount(trx, updateId)) === 0
        ) {
          throw new ConflictError('evidence_required');
        }
        await approve(trx, update, claim, actor);
        return update;
      });
    },

    async reject(updateId: number, input: unknown, actor: Actor): Promise<StatusUpdate> {
      if (!hasRole(actor, 'editor')) throw new ForbiddenError('editor_required');
      const { reason } = parseOrThrow(rejectionSchema, input);
      return db.transaction(async (trx) => {
        const update = await undecided(trx, updateId);
        const review = await statusUpdates.insertReview(trx, {
          status_update_id: updateId,
          decision: 'rejected',
          applied_from_status: null,
          reason,
          reviewed_by: actor.id,
        });
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'status_update.reject',
          entity: 'status_update',
          entityId: updateId,
          after: review,
          requestId: actor.requestId,
        });
        return update;
      });
    },
  };
}

export type StatusUpdatesService = ReturnType<typeof statusUpdatesService>;
