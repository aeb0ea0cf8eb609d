import type { Knex } from 'knex';
import {
  ConflictError,
  type FieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../lib/errors';
import { renderMarkdown } from '../../lib/markdown';
import { slugify } from '../../lib/slug';
import { parseOrThrow } from '../../lib/validation';
import {
  type AuditListRow,
  type AuditRepository,
  changedFields,
  recordAudit,
} from '../audit/audit.repository';
import type { Claim } from '../claims/claims.types';
import { type ClaimKind, INITIAL_STATUS, type WorkflowState } from '../claims/scales';
import type { ReferenceRepository } from '../election-editing/reference.repository';
import { eventsRepository } from '../events/events.repository';
import { type EventsService, eventsService } from '../events/events.service';
import type { EvidenceListItem, EvidenceRepository } from '../evidence/evidence.repository';
import { staleVersionError } from '../newsroom/stale';
import type { StatusUpdatesRepository, StatusUpdateView } from '../status-updates/status-updates.repository';
import { type Actor, hasRole } from '../users/accounts';
import {
  CLAIM_TEXT_FIELDS,
  claimEditSchema,
  newClaimSchema,
  retractSchema,
  workflowSchema,
} from './claim-editing.schemas';
import type {
  ClaimChanges,
  ClaimListFilters,
  NewsroomClaim,
  NewsroomClaimsRepository,
  StoredClaimChanges,
} from './newsroom-claims.repository';

/**
 * Changes with the explanation's HTML whenever they write the explanation (migration 20261128140000): a
 * first view of the verdict page then prints it instead of running the Markdown renderer.
 */
function withExplanationHtml<T extends ClaimChanges>(changes: T): T & StoredClaimChanges {
  if (!('explanation' in changes)) return changes;
  return { ...changes, explanation_html: changes.explanation ? renderMarkdown(changes.explanation) : null };
}

/** Some rows of a bulk create were invalid: their field errors, by position. */
export class RowsInvalidError extends ValidationError {
  constructor(readonly rows: (FieldErrors | undefined)[]) {
    super({}, 'rows_invalid');
  }
}

async function fieldErrorsOf(work: () => Promise<unknown>): Promise<FieldErrors | undefined> {
  try {
    await work();
    return undefined;
  } catch (err) {
    if (err instanceof ValidationError) return err.fieldErrors;
    throw err;
  }
}

export type WorkflowAction = 'submit' | 'publish' | 'return' | 'retract';

/** Which workflow moves exist, from which states, and who may make them. */
const TRANSITIONS: Record<WorkflowAction, { from: WorkflowState[]; to: WorkflowState; editor: boolean }> = {
  submit: { from: ['draft'], to: 'in_review', editor: false },
  publish: { from: ['draft', 'in_review'], to: 'published', editor: true },
  return: { from: ['in_review'], to: 'draft', editor: true },
  retract: { from: ['published'], to: 'retracted', editor: true },
};

export interface ClaimOverview {
  claim: NewsroomClaim;
  evidence: EvidenceListItem[];
  statusUpdates: StatusUpdateView[];
}

export interface HistoryEntry {
  row: AuditListRow;
  changes: { field: string; before: unknown; after: unknown }[];
}

/** The quote's first words, for a slug when a live-logged draft has no title yet. */
function slugSource(title: string | null, quote: string): string {
  return title ?? quote.split(/\s+/).slice(0, 10).join(' ');
}

export function claimEditingService(deps: {
  db: Knex;
  claims: NewsroomClaimsRepository;
  reference: ReferenceRepository;
  evidence: EvidenceRepository;
  statusUpdates: StatusUpdatesRepository;
  audit: AuditRepository;
  /** Queues the news of a verdict the claim carries when it is published (outbox, same transaction). */
  announcePublished?: (trx: Knex, claimId: number) => Promise<void>;
  /** Default: made from `db` and `audit`. */
  events?: EventsService;
}) {
  const { db, claims, reference, evidence, statusUpdates, audit } = deps;
  const events = deps.events ?? eventsService({ db, events: eventsRepository(db), audit });

  /**
   * The claim's event from the form's `event_id`, `event` (a name) and `event_held_on`: its id. With no
   * actor a name not yet taken is only checked, not made (so a new name gives no id yet).
   */
  async function eventColumns(
    trx: Knex,
    data: {
      event_id: number | null;
      event: string | null;
      event_held_on: string | null;
      said_on: string | null;
    },
    electionId: number,
    actor: Actor | undefined,
  ): Promise<{ event_id: number | null }> {
    const choice = { id: data.event_id, name: data.event, heldOn: data.event_held_on ?? data.said_on };
    if (!actor) {
      if (choice.name) return { event_id: null };
      const event = await events.forClaim(trx, { ...choice, name: null }, electionId, undefined);
      return { event_id: event?.id ?? null };
    }
    const event = await events.forClaim(trx, choice, electionId, actor);
    return { event_id: event?.id ?? null };
  }

  /** The name of the claim's event, which the audit log keeps beside its id (the history shows it). */
  async function eventName(trx: Knex, claim: Claim): Promise<string | null> {
    if (claim.event_id === null) return null;
    const event = await trx('events')
      .where({ id: claim.event_id })
      .first<{ name: string } | undefined>('name');
    return event?.name ?? null;
  }

  async function snapshot(trx: Knex, claim: Claim) {
    return { ...claim, event: await eventName(trx, claim), topic_ids: await claims.topicIds(trx, claim.id) };
  }

  /** The claim's election is its candidate's; a mismatch between the two fields is the user's to fix. */
  async function electionOf(trx: Knex, candidateId: number, electionId: number | null): Promise<number> {
    const candidateElection = await claims.candidateElection(trx, candidateId);
    if (candidateElection === undefined) throw new ValidationError({ candidate_id: 'invalid_choice' });
    if (electionId !== null && electionId !== candidateElection) {
      throw new ValidationError({ candidate_id: 'candidate_not_in_election' });
    }
    return candidateElection;
  }

  /** A promise's agency is one of its election's (the database holds the same rule). */
  async function checkAgency(trx: Knex, agencyId: number | null, electionId: number) {
    if (agencyId === null) return;
    const agency = await trx('agencies').select('election_id').where({ id: agencyId }).first();
    if (!agency) throw new ValidationError({ agency_id: 'invalid_choice' });
    if (agency.election_id !== electionId) throw new ValidationError({ agency_id: 'agency_not_in_election' });
  }

  async function checkTopics(trx: Knex, topicIds: number[]) {
    const found = await reference.existingTopicIds(trx, topicIds);
    if (found.length !== topicIds.length) throw new ValidationError({ topics: 'invalid_choice' });
  }

  function assertMayEdit(claim: Claim, actor: Actor) {
    if (claim.workflow_state === 'retracted') throw new ConflictError('claim_retracted');
    // Reporters work on drafts and on claims in review; what is published is the editors'.
    if (claim.workflow_state === 'published' && !hasRole(actor, 'editor')) {
      throw new ForbiddenError('editor_required');
    }
  }

  async function lockClaim(trx: Knex, id: number): Promise<Claim> {
    const claim = await claims.lock(trx, id);
    if (!claim) throw new NotFoundError();
    return claim;
  }

  /** The claim as it will be inserted; without an actor nothing is written (a would-be event is only named). */
  async function prepareNew(trx: Knex, input: unknown, actor: Actor | undefined) {
    const { event_held_on: _h, event: eventName, ...data } = parseOrThrow(newClaimSchema, input);
    const electionId = await electionOf(trx, data.candidate_id, data.election_id);
    await checkAgency(trx, data.agency_id, electionId);
    await checkTopics(trx, data.topics);
    const event = await eventColumns(
      trx,
      { ...data, event: eventName, event_held_on: _h },
      electionId,
      actor,
    );
    return { ...data, ...event, kind: data.kind as ClaimKind, election_id: electionId };
  }
  type PreparedClaim = Awaited<ReturnType<typeof prepareNew>>;

  async function insertNew(trx: Knex, data: PreparedClaim, actor: Actor, action: string): Promise<Claim> {
    const slug = await claims.freeSlug(trx, slugify(slugSource(data.title, data.quote), 70) || 'klaim');
    const { topics, ...fields } = data;
    const claim = await claims.insert(trx, {
      ...withExplanationHtml(fields),
      slug,
      status: INITIAL_STATUS[data.kind],
      workflow_state: 'draft',
      created_by: actor.id,
    });
    await claims.setTopics(trx, claim.id, topics);
    await recordAudit(trx, {
      actorId: actor.id,
      action,
      entity: 'claim',
      entityId: claim.id,
      after: { ...claim, event: await eventName(trx, claim), topic_ids: topics },
      requestId: actor.requestId,
    });
    return claim;
  }

  async function find(id: number): Promise<NewsroomClaim> {
    const claim = await claims.find(id);
    if (!claim) throw new NotFoundError();
    return claim;
  }

  return {
    find,

    /** Every claim the newsroom sees, all workflow states, newest change first. */
    list(filters: ClaimListFilters): Promise<NewsroomClaim[]> {
      return claims.list(filters);
    },

    /** The claim for its edit form, if this account may edit it. */
    async forEdit(id: number, actor: Actor): Promise<NewsroomClaim> {
      const claim = await find(id);
      assertMayEdit(claim, actor);
      return claim;
    },

    async overview(id: number): Promise<ClaimOverview> {
      const claim = await find(id);
      const [evidenceList, updates] = await Promise.all([
        evidence.listForClaim(id),
        statusUpdates.forClaim(id),
      ]);
      return { claim, evidence: evidenceList, statusUpdates: updates };
    },

    /**
     * A new draft: only the candidate, the quote and the kind are needed (live-debate entry). `then` runs
     * in the same transaction with the new claim (a reader's tip marks itself handled by it).
     */
    async create(
      input: unknown,
      actor: Actor,
      then?: (trx: Knex, claim: Claim) => Promise<void>,
    ): Promise<Claim> {
      return db.transaction(async (trx) => {
        const claim = await insertNew(trx, await prepareNew(trx, input, actor), actor, 'claim.create');
        await then?.(trx, claim);
        return claim;
      });
    },

    /** Field errors of each would-be claim, by position (nothing is written). */
    async check(inputs: unknown[]): Promise<(FieldErrors | undefined)[]> {
      return db.transaction(async (trx) => {
        const results: (FieldErrors | undefined)[] = [];
        for (const input of inputs)
          results.push(await fieldErrorsOf(() => prepareNew(trx, input, undefined)));
        return results;
      });
    },

    /** Creates all the drafts or none: one transaction, one audit row each (`action` says from where). */
    async createMany(inputs: unknown[], actor: Actor, action = 'claim.import'): Promise<Claim[]> {
      return db.transaction(async (trx) => {
        const prepared: PreparedClaim[] = [];
        const errors: (FieldErrors | undefined)[] = [];
        for (const input of inputs) {
          errors.push(
            await fieldErrorsOf(async () => {
              prepared.push(await prepareNew(trx, input, actor));
            }),
          );
        }
        if (errors.some(Boolean)) throw new RowsInvalidError(errors);
        const created: Claim[] = [];
        for (const data of prepared) created.push(await insertNew(trx, data, actor, action));
        return created;
      });
    },

    /** Saves the edit form against the version it was filled in on; a stale version is a 409. */
    async update(id: number, input: unknown, actor: Actor): Promise<Claim> {
      const data = parseOrThrow(claimEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await lockClaim(trx, id);
        assertMayEdit(before, actor);
        if (before.version !== data.version) {
          throw await staleVersionError(trx, audit, 'claim', before, data.version, CLAIM_TEXT_FIELDS);
        }
        const electionId = await electionOf(trx, data.candidate_id, data.election_id);
        await checkAgency(trx, data.agency_id, electionId);
        await checkTopics(trx, data.topics);
        const kind = data.kind as ClaimKind;
        let status = before.status;
        if (kind !== before.kind) {
          // A claim that has been rated, or has a status change waiting, keeps its scale.
          if (before.status !== INITIAL_STATUS[before.kind] || (await statusUpdates.hasAny(trx, id))) {
            throw new ValidationError({ kind: 'kind_locked' });
          }
          status = INITIAL_STATUS[kind];
        }
        if (before.workflow_state !== 'draft' && !data.title) {
          throw new ValidationError({ title: 'title_required_beyond_draft' });
        }
        const beforeSnapshot = await snapshot(trx, before);
        const {
          topics,
          version,
          correction_note,
          election_id: _e,
          event_held_on: _h,
          event: _n,
          ...fields
        } = data;
        const event = await eventColumns(trx, data, electionId, actor);
        const changes: ClaimChanges = { ...fields, ...event, kind, status, election_id: electionId };
        const wouldChange =
          changedFields(beforeSnapshot, {
            ...beforeSnapshot,
            ...changes,
            topic_ids: [...topics].sort((a, b) => a - b),
          }).length > 0;
        if (!wouldChange && !correction_note) return before;

        const after = await claims.update(trx, id, version, withExplanationHtml(changes));
        if (!after) throw await staleVersionError(trx, audit, 'claim', before, version, CLAIM_TEXT_FIELDS);
        await claims.setTopics(trx, id, topics);
        if (before.workflow_state === 'published' && correction_note) {
          await claims.insertCorrection(trx, {
            claim_id: id,
            kind: 'edited',
            note: correction_note,
            created_by: actor.id,
          });
        }
        await recordAudit(trx, {
          actorId: actor.id,
          action: 'claim.update',
          entity: 'claim',
          entityId: id,
          before: beforeSnapshot,
          after: { ...(await snapshot(trx, after)), ...(correction_note ? { correction_note } : {}) },
          requestId: actor.requestId,
        });
        return after;
      });
    },

    /** Moves a claim along draft → in review → published → retracted (or back from review to draft). */
    async transition(id: number, action: WorkflowAction, input: unknown, actor: Actor): Promise<Claim> {
      const rule = TRANSITIONS[action];
      if (rule.editor && !hasRole(actor, 'editor')) throw new ForbiddenError('editor_required');
      const data =
        action === 'retract'
          ? { ...parseOrThrow(retractSchema, input), note: null }
          : { ...parseOrThrow(workflowSchema, input), retraction_reason: null };
      return db.transaction(async (trx) => {
        const before = await lockClaim(trx, id);
        if (data.version !== undefined && data.version !== before.version) {
          throw await staleVersionError(trx, audit, 'claim', before, data.version, CLAIM_TEXT_FIELDS);
        }
        if (!rule.from.includes(before.workflow_state)) throw new ConflictError('wrong_workflow_state');
        if (rule.to !== 'draft' && !before.title)
          throw new ValidationError({ title: 'title_required_beyond_draft' });

        const changes: ClaimChanges = { workflow_state: rule.to };
        if (action === 'publish' && !before.published_at) changes.published_at = new Date();
        if (action === 'retract') {
          changes.retracted_at = new Date();
          changes.retraction_reason = data.retraction_reason;
        }
        const after = await claims.update(trx, id, before.version, changes);
        if (!after)
          throw await staleVersionError(trx, audit, 'claim', before, before.version, CLAIM_TEXT_FIELDS);
        if (action === 'retract' && data.retraction_reason) {
          await claims.insertCorrection(trx, {
            claim_id: id,
            kind: 'retracted',
            note: data.retraction_reason,
            created_by: actor.id,
          });
        }
        await recordAudit(trx, {
          actorId: actor.id,
          action: `claim.${action}`,
          entity: 'claim',
          entityId: id,
          before,
          after: { ...after, ...(data.note ? { note: data.note } : {}) },
          requestId: actor.requestId,
        });
        if (action === 'publish') await deps.announcePublished?.(trx, id);
        return after;
      });
    },

    /** Who changed what, when: the claim's audit rows with the fields each one changed. */
    async history(id: number): Promise<{ claim: NewsroomClaim; entries: HistoryEntry[] }> {
      const claim = await find(id);
      const rows = await audit.forClaim(id);
      const entries = rows.map((row) => {
        const before = (row.before ?? {}) as Record<string, unknown>;
        const after = (row.after ?? {}) as Record<string, unknown>;
        const fields = row.before ? changedFields(before, after) : [];
        return {
          row,
          changes: fields.map((field) => ({ field, before: before[field], after: after[field] })),
        };
      });
      return { claim, entries };
    },
  };
}

export type ClaimEditingService = ReturnType<typeof claimEditingService>;
