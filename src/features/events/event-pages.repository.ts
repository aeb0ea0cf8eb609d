import type { Db } from '../../db';
import type { Freshness } from '../../lib/freshness';
import type { ClaimKind, ClaimStatus } from '../claims/scales';
import { toFreshness } from '../freshness/freshness.repository';
import { EVENT_COLUMNS } from './events.repository';
import type { Event } from './events.types';

/** An event as the public sees it: with its election. */
export interface PublicEvent extends Event {
  election_slug: string;
  election_name: string;
}

/** A published claim as an event's page lists it: in the order said, with who said it. */
export interface EventClaim {
  id: number;
  slug: string;
  kind: ClaimKind;
  status: ClaimStatus;
  title: string;
  quote: string;
  moment: string | null;
  said_on: string | null;
  candidate_id: number;
  candidate_slug: string;
  candidate_name: string;
  candidate_running_mate: string | null;
  updated_at: Date;
}

const PUBLIC_EVENT_COLUMNS = [
  ...EVENT_COLUMNS.filter((c) => c !== 'created_by').map((c) => `ev.${c}`),
  'e.slug as election_slug',
  'e.name as election_name',
];

/** The order said: by moment (claims without one after), then as logged. */
export const ORDER_SAID = 'c.moment ASC NULLS LAST, c.said_on ASC NULLS LAST, c.id ASC';

/** Event pages, their lists and their versions; only published claims. */
export function eventPagesRepository(db: Db) {
  function events() {
    return db('events as ev').join('elections as e', 'e.id', 'ev.election_id').select(PUBLIC_EVENT_COLUMNS);
  }

  return {
    async findBySlug(slug: string): Promise<PublicEvent | undefined> {
      return events().where('ev.slug', slug).first();
    },

    /** Every event, newest first; of some elections only when given. */
    async list(filter: { electionIds?: number[] } = {}): Promise<PublicEvent[]> {
      const q = events().orderBy([
        { column: 'ev.held_on', order: 'desc' },
        { column: 'ev.id', order: 'desc' },
      ]);
      if (filter.electionIds) q.whereIn('ev.election_id', filter.electionIds);
      return q;
    },

    /** The events a candidate spoke at (a published claim of theirs), newest first. */
    async forCandidate(candidateId: number): Promise<PublicEvent[]> {
      return events()
        .whereExists((sub) =>
          sub
            .select(db.raw('1'))
            .from('claims as c')
            .whereRaw('c.event_id = ev.id')
            .where({ 'c.candidate_id': candidateId, 'c.workflow_state': 'published' }),
        )
        .orderBy([
          { column: 'ev.held_on', order: 'desc' },
          { column: 'ev.id', order: 'desc' },
        ]);
    },

    /** The event's published claims in the order said. */
    async claims(eventId: number): Promise<EventClaim[]> {
      return db('claims as c')
        .join('candidates as k', 'k.id', 'c.candidate_id')
        .select(
          'c.id',
          'c.slug',
          'c.kind',
          'c.status',
          'c.title',
          'c.quote',
          'c.moment',
          'c.said_on',
          'c.candidate_id',
          'c.updated_at',
          'k.slug as candidate_slug',
          'k.name as candidate_name',
          'k.running_mate as candidate_running_mate',
        )
        .where({ 'c.event_id': eventId, 'c.workflow_state': 'published' })
        .orderByRaw(ORDER_SAID);
    },

    /** The newest update recorded for the event (0 when none). */
    async lastUpdateId(eventId: number): Promise<number> {
      const row = await db('event_updates').max({ id: 'id' }).where({ event_id: eventId }).first();
      return Number(row?.id ?? 0);
    },

    /** One public claim of an event by id, if it is published (what the stream sends). */
    async publicClaim(eventId: number, claimId: number): Promise<EventClaim | undefined> {
      return db('claims as c')
        .join('candidates as k', 'k.id', 'c.candidate_id')
        .select(
          'c.id',
          'c.slug',
          'c.kind',
          'c.status',
          'c.title',
          'c.quote',
          'c.moment',
          'c.said_on',
          'c.candidate_id',
          'c.updated_at',
          'k.slug as candidate_slug',
          'k.name as candidate_name',
          'k.running_mate as candidate_running_mate',
        )
        .where({ 'c.id': claimId, 'c.event_id': eventId, 'c.workflow_state': 'published' })
        .first();
    },

    /**
     * When the event's page last changed: the event, its election, the election's candidates, the event's
     * claims in any state, and its update record (a claim moved to another event leaves one here). Undefined
     * for no such event.
     */
    async freshness(slug: string): Promise<Freshness | undefined> {
      const row = await db
        .select({ last_modified: 's.g', stamp: db.raw('s.g::text'), updates: 's.u' })
        .from(
          db.raw(
            `(SELECT greatest(ev.updated_at, e.updated_at,
                (SELECT max(k.updated_at) FROM candidates k WHERE k.election_id = ev.election_id),
                (SELECT max(c.updated_at) FROM claims c WHERE c.event_id = ev.id)) AS g,
                (SELECT max(u.id) FROM event_updates u WHERE u.event_id = ev.id) AS u
              FROM events ev JOIN elections e ON e.id = ev.election_id WHERE ev.slug = ?) AS s`,
            [slug],
          ),
        )
        .first<{ last_modified: Date | null; stamp: string | null; updates: string | null } | undefined>();
      return row ? toFreshness(row, `${row.updates ?? 0}`) : undefined;
    },
  };
}

export type EventPagesRepository = ReturnType<typeof eventPagesRepository>;
