import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationSource } from '../../src/lib/migration-source';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database';

const EVENTS_MIGRATION = '20261202100000_create_events.ts';

interface Row {
  id: number;
  election_id: number;
  event: string | null;
}

describe('the migration that turns claim event texts into events', () => {
  let database: TestDatabase;
  let claims: Row[];

  beforeAll(async () => {
    database = await createEmptyDatabase();
    const db = database.db;
    const names = (await migrationSource.getMigrations([])) as string[];
    for (const name of names.filter((n) => n < EVENTS_MIGRATION)) {
      await db.migrate.up({ migrationSource, name });
    }
    const [a, b] = await db('elections')
      .insert([
        {
          slug: 'pilkada-a',
          name: 'Pilkada A',
          office: 'Wali Kota A',
          region: 'A',
          voting_day: '2024-11-27',
        },
        {
          slug: 'pilkada-b',
          name: 'Pilkada B',
          office: 'Wali Kota B',
          region: 'B',
          voting_day: '2024-11-27',
        },
      ])
      .returning('*');
    const [ka] = await db('candidates')
      .insert({ election_id: a.id, slug: 'calon-a', name: 'Calon A' })
      .returning('*');
    const [kb] = await db('candidates')
      .insert({ election_id: b.id, slug: 'calon-b', name: 'Calon B' })
      .returning('*');
    const claim = (
      n: number,
      election: { id: number },
      candidate: { id: number },
      event: string | null,
      said_on: string | null,
    ) => ({
      slug: `klaim-${n}`,
      election_id: election.id,
      candidate_id: candidate.id,
      kind: 'statement',
      title: `Klaim ${n}`,
      quote: `Kutipan ${n}`,
      status: 'unverified',
      workflow_state: 'draft',
      event,
      said_on,
    });
    claims = await db('claims')
      .insert([
        claim(1, a, ka, 'Debat Pilkada Samarinda 2024', '2024-11-05'),
        claim(2, a, ka, 'Debat Pilkada Samarinda 2024', '2024-11-04'),
        // The same name in another election is another event.
        claim(3, b, kb, 'Debat Pilkada Samarinda 2024', '2024-10-01'),
        // Awkward text is kept exactly, and a name that makes no slug still gets one.
        claim(4, a, ka, '  Wawancara   «Kaltim» — 👩🏽‍⚖️ ', null),
        claim(5, a, ka, '文件', '2024-09-09'),
        claim(6, a, ka, null, '2024-09-09'),
        claim(7, a, ka, '', '2024-09-09'),
      ])
      .returning(['id', 'election_id', 'event']);
    await db.migrate.up({ migrationSource, name: EVENTS_MIGRATION });
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('links every claim that had an event text to an event of its election with exactly that name', async () => {
    const rows = await database
      .db('claims as c')
      .leftJoin('events as e', 'e.id', 'c.event_id')
      .select('c.id', 'c.election_id', 'c.event', 'e.name', 'e.election_id as event_election_id')
      .orderBy('c.id');
    for (const row of rows) {
      const before = claims.find((c) => c.id === row.id)!;
      expect(row.event, 'the text itself stays').toBe(before.event);
      if (before.event) {
        expect(row.name).toBe(before.event);
        expect(row.event_election_id).toBe(before.election_id);
      } else {
        expect(row.name).toBeNull();
      }
    }
  });

  it('makes one event per distinct text and election, dated by its earliest claim, with unique slugs', async () => {
    const events = await database
      .db('events')
      .select('slug', 'name', 'kind', database.db.raw("to_char(held_on, 'YYYY-MM-DD') as held_on"))
      .orderBy('id');
    expect(events).toHaveLength(4);
    const samarinda = events.filter((e) => e.name === 'Debat Pilkada Samarinda 2024');
    expect(samarinda.map((e) => e.held_on).sort()).toEqual(['2024-10-01', '2024-11-04']);
    expect(samarinda.every((e) => e.kind === 'debate')).toBe(true);
    expect(new Set(events.map((e) => e.slug)).size).toBe(4);
    for (const e of events) expect(e.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const interview = events.find((e) => e.name.includes('Kaltim'));
    expect(interview?.kind).toBe('interview');
    expect(interview?.slug).toBe('wawancara-kaltim');
  });

  it('rolls back to claims with their texts and no events table', async () => {
    await database.db.migrate.down({ migrationSource, name: EVENTS_MIGRATION });
    expect(await database.db.schema.hasTable('events')).toBe(false);
    expect(await database.db.schema.hasColumn('claims', 'event_id')).toBe(false);
    const texts = await database.db('claims').select('id', 'event').orderBy('id');
    expect(texts).toEqual(claims.map((c) => ({ id: c.id, event: c.event })));
  });
});
