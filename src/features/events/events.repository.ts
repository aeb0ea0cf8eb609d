import type { Knex } from 'knex';
import type { Db } from '../../db';
import { slugify } from '../../lib/slug';
import { freeSlug, updateVersioned } from '../newsroom/versioned';
import type { Event, EventFields, LiveState } from './events.types';

export const EVENT_COLUMNS: readonly (keyof Event)[] = [
  'id',
  'slug',
  'election_id',
  'kind',
  'name',
  'held_on',
  'starts_at',
  'place',
  'organiser',
  'video_url',
  'live_state',
  'live_started_at',
  'live_ended_at',
  'created_by',
  'version',
  'created_at',
  'updated_at',
];

/** Events as rows: found by id or slug, listed per election, created, edited, started and ended. */
export function eventsRepository(db: Db) {
  return {
    async find(id: number, trx: Knex = db): Promise<Event | undefined> {
      return trx('events').select(EVENT_COLUMNS).where({ id }).first();
    },

    async findBySlug(slug: string): Promise<Event | undefined> {
      return db('events').select(EVENT_COLUMNS).where({ slug }).first();
    },

    /** An election's events, newest first. */
    async listForElection(electionId: number): Promise<Event[]> {
      return db('events')
        .select(EVENT_COLUMNS)
        .where({ election_id: electionId })
        .orderBy([
          { column: 'held_on', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
    },

    /** Every event, newest first (the newsroom's list and the live-entry form's choice). */
    async listAll(): Promise<Event[]> {
      return db('events')
        .select(EVENT_COLUMNS)
        .orderBy([
          { column: 'held_on', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
    },

    /** Every event with its election's name and how many claims it holds, newest first (the newsroom's list). */
    async listWithElections(): Promise<(Event & { election_name: string; claim_count: number })[]> {
      return db('events as ev')
        .join('elections as e', 'e.id', 'ev.election_id')
        .select(EVENT_COLUMNS.map((c) => `ev.${c}`))
        .select({
          election_name: 'e.name',
          claim_count: db.raw('(SELECT count(*)::int FROM claims c WHERE c.event_id = ev.id)'),
        })
        .orderBy([
          { column: 'ev.held_on', order: 'desc' },
          { column: 'ev.id', order: 'desc' },
        ]);
    },

    async findByName(trx: Knex, electionId: number, name: string): Promise<Event | undefined> {
      return trx('events').select(EVENT_COLUMNS).where({ election_id: electionId, name }).first();
    },

    /** A new event with a slug of its own, made from its name (never changed afterwards). */
    async insert(trx: Knex, fields: EventFields & { created_by: number | null }): Promise<Event> {
      const slug = await freeSlug(trx, 'events', slugify(fields.name) || 'acara');
      const [event] = await trx('events')
        .insert({ ...fields, slug })
        .returning(EVENT_COLUMNS);
      return event as Event;
    },

    /** Applies changes if the event still has `version`; undefined when someone saved first. */
    update(
      trx: Knex,
      id: number,
      version: number,
      changes: Partial<EventFields>,
    ): Promise<Event | undefined> {
      return updateVersioned<Event>(trx, 'events', id, version, changes, EVENT_COLUMNS);
    },

    /** Marks the event live or ended (the trigger records it for the streams). */
    async setLiveState(trx: Knex, id: number, state: LiveState): Promise<Event | undefined> {
      const stamp =
        state === 'live'
          ? { live_started_at: trx.fn.now(), live_ended_at: null }
          : state === 'ended'
            ? { live_ended_at: trx.fn.now() }
            : {};
      const [event] = await trx('events')
        .where({ id })
        .update({
          live_state: state,
          ...stamp,
          version: trx.raw('version + 1'),
          updated_at: trx.fn.now(),
        })
        .returning(EVENT_COLUMNS);
      return event as Event | undefined;
    },
  };
}

export type EventsRepository = ReturnType<typeof eventsRepository>;
