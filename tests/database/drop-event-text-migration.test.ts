import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupRepository } from '../../src/features/backup/backup.repository';
import { backupService } from '../../src/features/backup/backup.service';
import { migrationSource } from '../../src/lib/migration-source';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database';

const DROP_MIGRATION = '20261204110000_drop_event_text_from_claims.ts';

const service = (database: TestDatabase) => backupService({ backups: backupRepository(database.db) });

async function migrateBefore(database: TestDatabase, name: string) {
  const names = (await migrationSource.getMigrations([])) as string[];
  for (const earlier of names.filter((n) => n < name)) {
    await database.db.migrate.up({ migrationSource, name: earlier });
  }
}

// A backup made before the free-text `claims.event` went carries the text, linked to an event or not.
// It restores with the version that made it (the same migrations), and the upgrade's migration links
// every text to an event of its claim's election before the column goes: no name is lost.
describe('the migration that drops the claims’ event text', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let backup: string;

  beforeAll(async () => {
    source = await createEmptyDatabase();
    target = await createEmptyDatabase();
    await migrateBefore(source, DROP_MIGRATION);
    const db = source.db;
    const [a, b] = await db('elections')
      .insert(
        ['a', 'b'].map((x) => ({
          slug: `pilkada-${x}`,
          name: `Pilkada ${x.toUpperCase()}`,
          office: `Wali Kota ${x.toUpperCase()}`,
          region: x.toUpperCase(),
          voting_day: '2024-11-27',
        })),
      )
      .returning('*');
    const [ka] = await db('candidates')
      .insert({ election_id: a.id, slug: 'calon-a', name: 'Calon A' })
      .returning('*');
    const [kb] = await db('candidates')
      .insert({ election_id: b.id, slug: 'calon-b', name: 'Calon B' })
      .returning('*');
    const [debate] = await db('events')
      .insert({ slug: 'debat-a', election_id: a.id, kind: 'debate', name: 'Debat A', held_on: '2024-11-04' })
      .returning('*');
    const claim = (
      n: number,
      election: { id: number },
      candidate: { id: number },
      event: string | null,
      eventId: number | null,
    ) => ({
      slug: `klaim-${n}`,
      election_id: election.id,
      candidate_id: candidate.id,
      kind: 'statement',
      title: `Klaim ${n}`,
      quote: `Kutipan ${n}`,
      status: 'unverified',
      workflow_state: n % 2 === 0 ? 'published' : 'draft',
      published_at: n % 2 === 0 ? new Date() : null,
      said_on: `2024-10-0${n}`,
      event,
      event_id: eventId,
    });
    await db('claims').insert([
      claim(1, a, ka, 'Debat A', debate.id),
      // A text with no link: the event of that name in its election, or a new one.
      claim(2, a, ka, 'Debat A', null),
      claim(3, a, ka, 'Wawancara Radio Kaltim', null),
      claim(4, a, ka, 'Wawancara Radio Kaltim', null),
      claim(5, b, kb, 'Debat A', null),
      claim(6, a, ka, null, null),
      claim(7, a, ka, '', null),
    ]);
    backup = (await service(source).exportDatabase()).text;

    await migrateBefore(target, DROP_MIGRATION);
    await service(target).importDatabase(backup);
    await target.db.migrate.up({ migrationSource, name: DROP_MIGRATION });
  }, 120_000);
  afterAll(async () => {
    await source?.destroy();
    await target?.destroy();
  });

  it('the old backup carries the text, and restores before the upgrade', () => {
    const claims = JSON.parse(backup).tables.claims as { slug: string; event: string | null }[];
    expect(claims.map((c) => c.event)).toEqual([
      'Debat A',
      'Debat A',
      'Wawancara Radio Kaltim',
      'Wawancara Radio Kaltim',
      'Debat A',
      null,
      '',
    ]);
  });

  it('links every text to the event of its election with exactly that name, made when there is none', async () => {
    expect(await target.db.schema.hasColumn('claims', 'event')).toBe(false);
    const rows = await target
      .db('claims as c')
      .leftJoin('events as e', 'e.id', 'c.event_id')
      .select(
        'c.slug',
        'e.slug as event_slug',
        'e.name',
        'e.kind',
        'c.election_id',
        'e.election_id as event_election',
      )
      .orderBy('c.id');
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    expect(bySlug['klaim-1']).toMatchObject({ event_slug: 'debat-a', name: 'Debat A' });
    expect(bySlug['klaim-2']).toMatchObject({ event_slug: 'debat-a', name: 'Debat A' });
    expect(bySlug['klaim-3']).toMatchObject({ name: 'Wawancara Radio Kaltim', kind: 'interview' });
    expect(bySlug['klaim-4']!.event_slug).toBe(bySlug['klaim-3']!.event_slug);
    // The same name in another election is another event, with a slug of its own.
    expect(bySlug['klaim-5']).toMatchObject({ name: 'Debat A', kind: 'debate', event_slug: 'debat-a-2' });
    expect(bySlug['klaim-5']!.event_election).toBe(bySlug['klaim-5']!.election_id);
    expect(bySlug['klaim-6']!.name).toBeNull();
    expect(bySlug['klaim-7']!.name).toBeNull();
    const events = await target
      .db('events')
      .select('slug', target.db.raw("to_char(held_on, 'YYYY-MM-DD') AS held_on"))
      .orderBy('id');
    // Dated by the earliest claim said there.
    expect(events).toEqual([
      { slug: 'debat-a', held_on: '2024-11-04' },
      { slug: 'wawancara-radio-kaltim', held_on: '2024-10-03' },
      { slug: 'debat-a-2', held_on: '2024-10-05' },
    ]);
  });

  it('rolls back to claims whose text is their event’s name', async () => {
    await target.db.migrate.down({ migrationSource, name: DROP_MIGRATION });
    const texts = await target.db('claims').select('slug', 'event').orderBy('id');
    expect(texts.map((t) => t.event)).toEqual([
      'Debat A',
      'Debat A',
      'Wawancara Radio Kaltim',
      'Wawancara Radio Kaltim',
      'Debat A',
      null,
      null,
    ]);
  });
});
