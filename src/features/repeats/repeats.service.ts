import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { recordAudit } from '../audit/audit.repository';
import type { ClaimKind, ClaimStatus, WorkflowState } from '../claims/scales';
import type { Actor } from '../users/accounts';

/** A claim as the repeat form shows it. */
export interface RepeatClaim {
  id: number;
  slug: string;
  title: string | null;
  quote: string;
  kind: ClaimKind;
  status: ClaimStatus;
  workflow_state: WorkflowState;
  candidate_id: number;
  repeat_of: number | null;
  said_on: string | null;
  /** The name of the event the claim points at. */
  event: string | null;
}

const COLUMNS = [
  'id',
  'slug',
  'title',
  'quote',
  'kind',
  'status',
  'workflow_state',
  'candidate_id',
  'repeat_of',
  'said_on',
] as const;

const select = (q: Knex) =>
  q('claims').select([
    ...COLUMNS.filter((c) => c !== 'said_on'),
    q.raw("to_char(said_on, 'YYYY-MM-DD') AS said_on"),
    q.raw('(SELECT ev.name FROM events ev WHERE ev.id = claims.event_id) AS event'),
  ]);

/**
 * Which claim a reference names: its number, its slug, or an address with either (/claims/slug,
 * /newsroom/claims/12, a full URL). Undefined when it names none in that shape.
 */
export function parseClaimRef(text: string): { id: number } | { slug: string } | undefined {
  const ref = text.trim();
  if (/^\d{1,9}$/.test(ref)) return { id: Number(ref) };
  const path = ref.replace(/^https?:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  const newsroom = /^\/newsroom\/claims\/(\d{1,9})(?:\/.*)?$/.exec(path);
  if (newsroom) return { id: Number(newsroom[1]) };
  const pub = /^\/claims\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(path);
  if (pub) return { slug: pub[1]! };
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(ref) && ref.length <= 200) return { slug: ref };
  return undefined;
}

/** Repeats: an editor links a claim said again to the claim first logged; each keeps its own status. */
export function repeatsService(deps: { db: Knex }) {
  const { db } = deps;

  async function find(trx: Knex, ref: { id: number } | { slug: string }): Promise<RepeatClaim | undefined> {
    return select(trx).where(ref).first();
  }

  return {
    /** The claim, the original it repeats and the claims that repeat it, for the repeat form. */
    async overview(id: number) {
      const claim = await find(db, { id });
      if (!claim) throw new NotFoundError();
      const [original, repeats] = await Promise.all([
        claim.repeat_of === null ? undefined : find(db, { id: claim.repeat_of }),
        select(db).where({ repeat_of: id }).orderByRaw('said_on NULLS LAST, id') as Promise<RepeatClaim[]>,
      ]);
      return { claim, original: original ?? null, repeats };
    },

    /**
     * Links the claim as a repeat of the one `repeat_of` names (its original, if that one is a repeat
     * itself), or unlinks it when empty. The claim and the originals it leaves or joins are touched, so
     * their pages show the change; the audit log records before and after.
     */
    async link(id: number, input: unknown, actor: Actor): Promise<void> {
      const raw = (input as Record<string, unknown> | undefined)?.repeat_of;
      const text = typeof raw === 'string' ? raw : '';
      if (text.includes('\u0000')) throw new ValidationError({ repeat_of: 'invalid_characters' });
      if (text.length > 2000) throw new ValidationError({ repeat_of: 'too_long' });
      const ref = text.trim() === '' ? null : parseClaimRef(text);
      if (ref === undefined) throw new ValidationError({ repeat_of: 'repeat_not_found' });
      await db.transaction(async (trx) => {
        const claim: RepeatClaim | undefined = await select(trx).where({ id }).forUpdate().first();
        if (!claim) throw new NotFoundError();
        let originalId: number | null = null;
        if (ref !== null) {
          let original = await find(trx, ref);
          if (original && original.repeat_of !== null) original = await find(trx, { id: original.repeat_of });
          if (!original) throw new ValidationError({ repeat_of: 'repeat_not_found' });
          if (original.id === claim.id) throw new ValidationError({ repeat_of: 'repeat_self' });
          if (original.candidate_id !== claim.candidate_id) {
            throw new ValidationError({ repeat_of: 'repeat_other_candidate' });
          }
          const own = await trx('claims').where({ repeat_of: claim.id }).first('id');
          if (own) throw new ValidationError({ repeat_of: 'repeat_has_repeats' });
          originalId = original.id;
        }
        if (originalId === claim.repeat_of) return;
        const touched = [claim.id, claim.repeat_of, originalId].filter((v): v is number => v !== null);
        await trx('claims').whereIn('id', touched).update({ updated_at: trx.fn.now() });
        await trx('claims').where({ id: claim.id }).update({ repeat_of: originalId });
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'claim.repeat',
          entity: 'claim',
          entityId: claim.id,
          before: { repeat_of: claim.repeat_of },
          after: { repeat_of: originalId },
          requestId: actor.requestId,
        });
      });
    },
  };
}

export type RepeatsService = ReturnType<typeof repeatsService>;
