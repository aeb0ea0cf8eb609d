import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { recordAudit } from '../audit/audit.repository';
import type { ClaimKind, ClaimStatus, WorkflowState } from '../claims/scales';
import type { Actor } from '../users/accounts';
import {
  type ClaimResponse,
  currentContent,
  type ResponseCorrection,
  type ResponsesRepository,
  type ResponseWithCorrections,
} from './responses.repository';
import { responseCorrectionSchema, responseSchema } from './responses.schemas';

/** A claim as the right-of-reply pages show it. */
export interface ResponseClaim {
  id: number;
  slug: string;
  title: string | null;
  kind: ClaimKind;
  status: ClaimStatus;
  workflow_state: WorkflowState;
}

/** A clock running a little ahead of the newsroom's must not refuse a response given just now. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The right of reply: an editor records what a candidate or their team answered to a verdict. It is
 * public with its claim at once, and from then on changes only through a public correction. Every write
 * is audited on the claim, so that it shows in the claim's history.
 */
export function responsesService(deps: { db: Knex; responses: ResponsesRepository; now?: () => Date }) {
  const { db, responses } = deps;
  const now = deps.now ?? (() => new Date());

  async function claim(id: number, trx: Knex = db): Promise<ResponseClaim> {
    const row = await trx<ResponseClaim>('claims')
      .select('id', 'slug', 'title', 'kind', 'status', 'workflow_state')
      .where({ id })
      .first();
    if (!row) throw new NotFoundError();
    return row;
  }

  return {
    /** The claim and its responses (each with its corrections), for the newsroom's page. */
    async overview(claimId: number): Promise<{ claim: ResponseClaim; responses: ResponseWithCorrections[] }> {
      const found = await claim(claimId);
      return { claim: found, responses: await responses.ofClaim(claimId) };
    },

    async add(claimId: number, input: unknown, actor: Actor): Promise<ClaimResponse> {
      const fields = parseOrThrow(responseSchema, input);
      if (fields.responded_at.getTime() > now().getTime() + CLOCK_SKEW_MS) {
        throw new ValidationError({ responded_at: 'response_in_future' });
      }
      return db.transaction(async (trx) => {
        await claim(claimId, trx);
        const row = await responses.insert(trx, { claim_id: claimId, ...fields, created_by: actor.id });
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'claim.response',
          entity: 'claim',
          entityId: claimId,
          after: {
            response_id: row.id,
            responded_at: row.responded_at,
            responder: row.responder,
            responder_role: row.responder_role,
            text: row.text,
            url: row.url,
          },
          requestId: actor.requestId,
        });
        return row;
      });
    },

    /** A response with its claim and corrections, and the text and link it reads with now. */
    async response(id: number) {
      const row = await responses.find(id);
      if (!row) throw new NotFoundError();
      const corrections = await responses.corrections(id);
      return {
        ...row,
        claim: await claim(row.claim_id),
        corrections,
        current: currentContent(row, corrections),
      };
    },

    /** A public correction: a required note, and the response's text and link as they should read. */
    async correct(id: number, input: unknown, actor: Actor): Promise<ResponseCorrection> {
      const fields = parseOrThrow(responseCorrectionSchema, input);
      return db.transaction(async (trx) => {
        // One correction at a time per response: "before" in the audit row is then the wording replaced.
        const row = await responses.find(id, trx, { lock: true });
        if (!row) throw new NotFoundError();
        const before = currentContent(row, await responses.corrections(id, trx));
        const correction = await responses.insertCorrection(trx, {
          response_id: id,
          note: fields.note,
          text: fields.text,
          url: fields.url,
          created_by: actor.id,
        });
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'claim.response_correct',
          entity: 'claim',
          entityId: row.claim_id,
          before: { response_id: id, ...before },
          after: { response_id: id, text: correction.text, url: correction.url, note: correction.note },
          requestId: actor.requestId,
        });
        return correction;
      });
    },
  };
}

export type ResponsesService = ReturnType<typeof responsesService>;
