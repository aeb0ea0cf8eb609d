import type { Knex } from 'knex';
import type { Event } from '../../src/features/events/events.types';
import { createElection, unique } from '../helpers/factories';

/** An event (scheduled unless told otherwise), with its election made when not given. */
export async function createEvent(db: Knex, overrides: Partial<Event> = {}): Promise<Event> {
  const election_id = overrides.election_id ?? (await createElection(db)).id;
  const slug = overrides.slug ?? unique('debat');
  const [row] = await db('events')
    .insert({ slug, kind: 'debate', name: `Debat ${slug}`, held_on: '2024-11-04', ...overrides, election_id })
    .returning('*');
  return row;
}
