import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors';
import { parseOrThrow } from '../../lib/validation';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import { staleVersionError } from '../newsroom/stale';
import type { Actor } from '../users/accounts';
import type { EventsRepository } from './events.repository';
import { EVENT_FIELDS, eventEditSchema, eventSchema } from './events.schemas';
import type { Event, EventKind, LiveState } from './events.types';

/** The kind an event's name most likely means, for an event made on the spot from the claim form. */
export function guessEventKind(name: string): EventKind {
  const n = name.toLowerCase();
  if (/debat|debate/.test(n)) return 'debate';
  if (/wawancara|interview|podcast|talk ?show/.test(n)) return 'interview';
  if (/konferensi pers|jumpa pers|press/.test(n)) return 'press_conference';
  if (/kampanye|rally|orasi/.test(n)) return 'rally';
  if (/visi|misi|manifesto|dokumen|program/.test(n)) return 'document';
  return 'other';
}

/** Which way the desk may move an event: live from scheduled (or again after an ended one), ended from live. */
const MOVES: Record<'live' | 'ended', LiveState[]> = { live: ['scheduled', 'ended'], ended: ['live'] };

/** Events as the newsroom makes and runs them: created and edited by editors, started and ended by the desk. */
export function eventsService(deps: { db: Knex; events: EventsRepository; audit: AuditRepository }) {
  const { db, events, audit } = deps;

  async function electionExists(trx: Knex, id: number) {
    const row = await trx('elections').select('id').where({ id }).first();
    if (!row) throw new ValidationError({ election_id: 'invalid_choice' });
  }

  async function nameFree(trx: Knex, electionId: number, name: string, exceptId?: number) {
    const q = trx('events').select('id').where({ election_id: electionId, name });
    if (exceptId !== undefined) q.whereNot({ id: exceptId });
    if (await q.first()) throw new ValidationError({ name: 'event_exists' });
  }

  function audited(trx: Knex, actor: Actor, action: string, id: number, before: unknown, after: unknown) {
    return recordAudit(trx, {
      actorId: actor.id,
      action,
      entity: 'event',
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
  }

  async function find(id: number): Promise<Event> {
    const event = await events.find(id);
    if (!event) throw new NotFoundError();
    return event;
  }

  return {
    find,
    list: () => events.listWithElections(),

    async create(input: unknown, actor: Actor): Promise<Event> {
      const fields = parseOrThrow(eventSchema, input);
      return db.transaction(async (trx) => {
        await electionExists(trx, fields.election_id);
        await nameFree(trx, fields.election_id, fields.name);
        const event = await events.insert(trx, {
          ...fields,
          kind: fields.kind as EventKind,
          created_by: actor.id,
        });
        await audited(trx, actor, 'event.create', event.id, undefined, event);
        return event;
      });
    },

    async update(id: number, input: unknown, actor: Actor): Promise<Event> {
      const { version, ...fields } = parseOrThrow(eventEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await events.find(id, trx);
        if (!before) throw new NotFoundError();
        if (before.version !== version) {
          throw await staleVersionError(trx, audit, 'event', before, version, EVENT_FIELDS);
        }
        await electionExists(trx, fields.election_id);
        if (fields.election_id !== before.election_id) {
          // Its claims are the election's: an event with claims stays in its election.
          const claim = await trx('claims').select('id').where({ event_id: id }).first();
          if (claim) throw new ValidationError({ election_id: 'event_has_claims' });
        }
        await nameFree(trx, fields.election_id, fields.name, id);
        const after = await events.update(trx, id, version, { ...fields, kind: fields.kind as EventKind });
        if (!after) throw await staleVersionError(trx, audit, 'event', before, version, EVENT_FIELDS);
        await audited(trx, actor, 'event.update', id, before, after);
        return after;
      });
    },

    /** The desk starts the event (live) or ends it; the streams hear it through the trigger. */
    async setLive(id: number, state: 'live' | 'ended', actor: Actor): Promise<Event> {
      return db.transaction(async (trx) => {
        const before = await trx('events').select('*').where({ id }).forUpdate().first<Event | undefined>();
        if (!before) throw new NotFoundError();
        if (!MOVES[state].includes(before.live_state)) {
          throw new ConflictError(state === 'live' ? 'event_already_live' : 'event_not_live');
        }
        const after = await events.setLiveState(trx, id, state);
        await audited(trx, actor, state === 'live' ? 'event.live' : 'event.end', id, before, after);
        return after!;
      });
    },

    /**
     * The event a claim form names, in the claim's election: `name` (typed) is found by name or made on the
     * spot with `heldOn` (else the date said, else today); otherwise `id` (chosen) must be the election's.
     */
    async forClaim(
      trx: Knex,
      choice: { id: number | null; name: string | null; heldOn: string | null },
      electionId: number,
      actor: Actor | undefined,
    ): Promise<Event | null> {
      if (choice.name) {
        const existing = await events.findByName(trx, electionId, choice.name);
        if (existing || !actor) return existing ?? null;
        const event = await events.insert(trx, {
          election_id: electionId,
          kind: guessEventKind(choice.name),
          name: choice.name,
          held_on: choice.heldOn ?? new Date().toISOString().slice(0, 10),
          starts_at: null,
          place: null,
          organiser: null,
          video_url: null,
          created_by: actor.id,
        });
        await audited(trx, actor, 'event.create', event.id, undefined, event);
        return event;
      }
      if (choice.id === null) return null;
      const event = await events.find(choice.id, trx);
      if (!event) throw new ValidationError({ event_id: 'invalid_choice' });
      if (event.election_id !== electionId) throw new ValidationError({ event_id: 'event_not_in_election' });
      return event;
    },
  };
}

export type EventsService = ReturnType<typeof eventsService>;
