import type { Knex } from 'knex';
import { ConflictError, ForbiddenError, NotFoundError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { recordAudit } from '../audit/audit.repository';
import type { ClaimEditingService } from '../claim-editing/claim-editing.service';
import type { Claim } from '../claims/claims.types';
import type { Evidence } from '../evidence/evidence.repository';
import type { EvidenceService } from '../evidence/evidence.service';
import type { FollowingRepository } from '../following/following.repository';
import type { FormValues } from '../newsroom/forms';
import { type Actor, hasRole } from '../users/accounts';
import { auditedTip, type Tip, type TipState, type TipsRepository, type TipView } from './tips.repository';
import { dismissSchema, removalSchema } from './tips.schemas';

type Handling = Pick<Tip, 'state'> &
  Partial<Pick<Tip, 'dismiss_reason' | 'result_claim_id' | 'result_evidence_id'>>;

/**
 * The newsroom's tip queue. A reporter turns a waiting tip into a draft claim or into evidence on its
 * claim (through the claim and evidence forms, prefilled from the tip, in the same transaction as the new
 * record), or dismisses it with a reason. Each handling is audited; the audit row keeps the handling,
 * not the reader's text, so that deleting a tip on request leaves nothing of it behind.
 */
export function tipQueueService(deps: {
  db: Knex;
  tips: TipsRepository;
  followingRows: FollowingRepository;
  claimEditing: ClaimEditingService;
  evidence: EvidenceService;
}) {
  const { db, tips, followingRows, claimEditing, evidence } = deps;

  async function waiting(id: number): Promise<TipView> {
    const tip = await tips.find(id);
    if (!tip) throw new NotFoundError();
    if (tip.state !== 'new') throw new ConflictError('tip_handled');
    return tip;
  }

  /**
   * Marks the tip handled in the caller's transaction. When it became a claim or evidence on one, the
   * senders' tip follows now point at that claim: its next published verdict reaches them.
   */
  async function markHandled(trx: Knex, id: number, actor: Actor, handling: Handling): Promise<void> {
    const before = await tips.lock(trx, id);
    if (!before) throw new NotFoundError();
    if (before.state !== 'new') throw new ConflictError('tip_handled');
    const after = await tips.handle(trx, id, { ...handling, handled_by: actor.id });
    if (handling.result_claim_id) await followingRows.pointTipFollowsAt(trx, id, handling.result_claim_id);
    else await trx('follows').where({ tip_id: id }).delete();
    await recordAudit(trx, {
      actorId: actor.id,
      action: `tip.${handling.state === 'drafted' ? 'draft' : handling.state === 'evidence' ? 'evidence' : 'dismiss'}`,
      entity: 'tip',
      entityId: id,
      before: auditedTip(before),
      after: auditedTip(after),
      requestId: actor.requestId,
    });
  }

  /** The evidence form's values from a waiting tip about a claim: its link and note. */
  async function evidenceForm(id: number): Promise<{ tip: TipView; claimId: number; values: FormValues }> {
    const tip = await waiting(id);
    if (!tip.claim_id) throw new ConflictError('tip_without_claim');
    return { tip, claimId: tip.claim_id, values: { url: tip.url ?? '', excerpt: tip.note ?? '' } };
  }

  return {
    async queue(state: TipState, limit: number, offset: number) {
      const [list, counts] = await Promise.all([tips.list(state, limit, offset), tips.counts()]);
      return { tips: list, counts };
    },

    /** The claim form's values from a waiting tip: what was said, when, where, the link, and who said it. */
    async draftForm(id: number): Promise<{ tip: TipView; values: FormValues }> {
      const tip = await waiting(id);
      const candidate = tip.speaker ? await tips.candidateNamed(tip.speaker) : undefined;
      return {
        tip,
        values: {
          election_id: candidate ? String(candidate.election_id) : '',
          candidate_id: candidate ? String(candidate.id) : '',
          kind: '',
          quote: tip.quote ?? '',
          said_on: tip.said_on ?? '',
          event: tip.where_said ?? '',
          source_url: tip.url ?? '',
          topics: [],
        },
      };
    },

    async draft(id: number, input: unknown, actor: Actor): Promise<Claim> {
      return claimEditing.create(input, actor, (trx, claim) =>
        markHandled(trx, id, actor, { state: 'drafted', result_claim_id: claim.id }),
      );
    },

    evidenceForm,

    async addEvidence(id: number, input: unknown, actor: Actor): Promise<Evidence> {
      const { claimId } = await evidenceForm(id);
      return evidence.add(claimId, input, actor, (trx, created) =>
        markHandled(trx, id, actor, {
          state: 'evidence',
          result_claim_id: claimId,
          result_evidence_id: created.id,
        }),
      );
    },

    async dismiss(id: number, input: unknown, actor: Actor): Promise<void> {
      const { dismiss_reason } = parseOrThrow(dismissSchema, input);
      await db.transaction((trx) => markHandled(trx, id, actor, { state: 'dismissed', dismiss_reason }));
    },

    /** Deletion on the sender's request (an editor's): the tip and its follows go; the audit row says so. */
    async remove(id: number, input: unknown, actor: Actor): Promise<void> {
      if (!hasRole(actor, 'editor')) throw new ForbiddenError('editor_required');
      const { reason } = parseOrThrow(removalSchema, input);
      await db.transaction(async (trx) => {
        const before = await tips.lock(trx, id);
        if (!before) throw new NotFoundError();
        await tips.delete(trx, id);
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'tip.delete',
          entity: 'tip',
          entityId: id,
          before: auditedTip(before),
          after: { deleted: true, reason },
          requestId: actor.requestId,
        });
      });
    },
  };
}

export type TipQueueService = ReturnType<typeof tipQueueService>;
