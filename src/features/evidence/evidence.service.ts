import type { Knex } from 'knex';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import type { NewsroomClaim, NewsroomClaimsRepository } from '../claim-editing/newsroom-claims.repository';
import { staleVersionError } from '../newsroom/stale';
import { type Actor, hasRole } from '../users/accounts';
import type { Evidence, EvidenceListItem, EvidenceRepository } from './evidence.repository';
import {
  EVIDENCE_FIELDS,
  evidenceEditSchema,
  evidenceRemovalSchema,
  evidenceSchema,
} from './evidence.schemas';

/** Sources that bear on a claim. Removing one hides it; the row and its history stay. */
export function evidenceService(deps: {
  db: Knex;
  evidence: EvidenceRepository;
  claims: NewsroomClaimsRepository;
  audit: AuditRepository;
}) {
  const { db, evidence, claims, audit } = deps;

  async function claimOf(id: number): Promise<NewsroomClaim> {
    const claim = await claims.find(id);
    if (!claim) throw new NotFoundError();
    return claim;
  }

  async function load(trx: Knex, claimId: number, evidenceId: number): Promise<EvidenceListItem> {
    const item = await evidence.find(evidenceId, trx);
    if (!item || item.claim_id !== claimId) throw new NotFoundError();
    return item;
  }

  function audited(trx: Knex, actor: Actor, action: string, id: number, before: unknown, after: unknown) {
    return recordAudit(trx, {
      actorId: actor.id,
      action,
      entity: 'evidence',
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
  }

  return {
    async page(claimId: number): Promise<{ claim: NewsroomClaim; evidence: EvidenceListItem[] }> {
      const claim = await claimOf(claimId);
      return { claim, evidence: await evidence.listForClaim(claimId) };
    },

    async item(
      claimId: number,
      evidenceId: number,
    ): Promise<{ claim: NewsroomClaim; item: EvidenceListItem }> {
      const claim = await claimOf(claimId);
      return { claim, item: await load(db, claimId, evidenceId) };
    },

    /** `then` runs in the same transaction with the new evidence (a reader's tip marks itself handled). */
    async add(
      claimId: number,
      input: unknown,
      actor: Actor,
      then?: (trx: Knex, created: Evidence) => Promise<void>,
    ): Promise<Evidence> {
      const fields = parseOrThrow(evidenceSchema, input);
      return db.transaction(async (trx) => {
        const claim = await claims.lock(trx, claimId);
        if (!claim) throw new NotFoundError();
        if (claim.workflow_state === 'retracted') throw new ConflictError('claim_retracted');
        const created = await evidence.insert(trx, { ...fields, claim_id: claimId, added_by: actor.id });
        await audited(trx, actor, 'evidence.create', created.id, undefined, created);
        await then?.(trx, created);
        return created;
      });
    },

    /** Evidence that a status update rests on is part of that record and cannot be rewritten. */
    async update(claimId: number, evidenceId: number, input: unknown, actor: Actor): Promise<Evidence> {
      const { version, ...fields } = parseOrThrow(evidenceEditSchema, input);
      return db.transaction(async (trx) => {
        const usage = await load(trx, claimId, evidenceId);
        const before = (await evidence.lock(trx, evidenceId))!;
        if (before.removed_at) throw new ConflictError('evidence_removed');
        if (usage.used_by_updates > 0) throw new ConflictError('evidence_in_use');
        const after = await evidence.update(trx, evidenceId, version, fields);
        if (!after) throw await staleVersionError(trx, audit, 'evidence', before, version, EVIDENCE_FIELDS);
        await audited(trx, actor, 'evidence.update', evidenceId, before, after);
        return after;
      });
    },

    async remove(claimId: number, evidenceId: number, input: unknown, actor: Actor): Promise<Evidence> {
      const data = parseOrThrow(evidenceRemovalSchema, input);
      return db.transaction(async (trx) => {
        const usage = await load(trx, claimId, evidenceId);
        const before = (await evidence.lock(trx, evidenceId))!;
        if (before.removed_at) throw new ConflictError('evidence_removed');
        if (data.version !== undefined && data.version !== before.version) {
          throw await staleVersionError(trx, audit, 'evidence', before, data.version, EVIDENCE_FIELDS);
        }
        // A published verdict rests on it: only an editor may take it away.
        if (usage.used_by_approved > 0 && !hasRole(actor, 'editor'))
          throw new ForbiddenError('editor_required');
        const after = await evidence.remove(trx, evidenceId, {
          removed_by: actor.id,
          removal_reason: data.removal_reason,
        });
        await audited(trx, actor, 'evidence.remove', evidenceId, before, after);
        return after;
      });
    },
  };
}

export type EvidenceService = ReturnType<typeof evidenceService>;
