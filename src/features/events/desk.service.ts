import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../../lib/errors';
import { recordAudit } from '../audit/audit.repository';
import type { ClaimKind, ClaimStatus, WorkflowState } from '../claims/scales';
import type { Actor } from '../users/accounts';
import { ORDER_SAID } from './event-pages.repository';
import type { EventsService } from './events.service';
import type { Event } from './events.types';

/** Where a claim is on the desk: logged, being checked (by whom), in review, published or retracted. */
export type DeskState = 'logged' | 'checking' | 'in_review' | 'published' | 'retracted';

export interface DeskClaim {
  id: number;
  slug: string;
  kind: ClaimKind;
  status: ClaimStatus;
  title: string | null;
  quote: string;
  moment: string | null;
  workflow_state: WorkflowState;
  version: number;
  candidate_name: string;
  creator_name: string | null;
  checker_id: number | null;
  checker_name: string | null;
  check_started_at: Date | null;
  created_at: Date;
  state: DeskState;
}

function stateOf(claim: Omit<DeskClaim, 'state'>): DeskState {
  if (claim.workflow_state === 'published') return 'published';
  if (claim.workflow_state === 'retracted') return 'retracted';
  if (claim.workflow_state === 'in_review') return 'in_review';
  return claim.checker_id === null ? 'logged' : 'checking';
}

/** The live desk: everything logged for an event, who logged it, who is checking it. */
export function deskService(deps: { db: Knex; events: EventsService }) {
  const { db, events } = deps;

  return {
    async desk(eventId: number): Promise<{ event: Event; claims: DeskClaim[] }> {
      const event = await events.find(eventId);
      const rows: Omit<DeskClaim, 'state'>[] = await db('claims as c')
        .join('candidates as k', 'k.id', 'c.candidate_id')
        .leftJoin('users as u', 'u.id', 'c.created_by')
        .leftJoin('claim_checks as cc', 'cc.claim_id', 'c.id')
        .leftJoin('users as ch', 'ch.id', 'cc.user_id')
        .select(
          'c.id',
          'c.slug',
          'c.kind',
          'c.status',
          'c.title',
          'c.quote',
          'c.moment',
          'c.workflow_state',
          'c.version',
          'c.created_at',
          'k.name as candidate_name',
          'u.display_name as creator_name',
          'cc.user_id as checker_id',
          'ch.display_name as checker_name',
          'cc.started_at as check_started_at',
        )
        .where('c.event_id', eventId)
        .orderByRaw(ORDER_SAID);
      return { event, claims: rows.map((row) => ({ ...row, state: stateOf(row) })) };
    },

    /**
     * "I'm checking this": the claim is the actor's to check. Someone else's check is taken over only when
     * `takeOver` says the actor saw it (the desk shows who); otherwise it is a conflict.
     */
    async check(claimId: number, actor: Actor, takeOver: boolean): Promise<void> {
      await db.transaction(async (trx) => {
        const claim = await trx('claims').select('id').where({ id: claimId }).forUpdate().first();
        if (!claim) throw new NotFoundError();
        const before = await trx('claim_checks').where({ claim_id: claimId }).first();
        if (before?.user_id === actor.id) return;
        if (before && !takeOver) throw new ConflictError('claim_being_checked');
        await trx('claim_checks')
          .insert({ claim_id: claimId, user_id: actor.id, started_at: trx.fn.now() })
          .onConflict('claim_id')
          .merge();
        await recordAudit(trx, {
          actorId: actor.id,
          action: before ? 'claim.check_take_over' : 'claim.check',
          entity: 'claim',
          entityId: claimId,
          before: before ?? undefined,
          after: { claim_id: claimId, user_id: actor.id },
          requestId: actor.requestId,
        });
      });
    },

    /** The actor stops checking the claim (only their own check). */
    async uncheck(claimId: number, actor: Actor): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('claim_checks').where({ claim_id: claimId, user_id: actor.id }).first();
        if (!before) return;
        await trx('claim_checks').where({ claim_id: claimId }).delete();
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'claim.check_stop',
          entity: 'claim',
          entityId: claimId,
          before,
          requestId: actor.requestId,
        });
      });
    },
  };
}

export type DeskService = ReturnType<typeof deskService>;
