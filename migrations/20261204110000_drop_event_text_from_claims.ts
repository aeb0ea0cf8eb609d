import type { Knex } from 'knex';

// A claim's event is the event row it points at (`event_id`); the free-text `claims.event`, a copy of
// the event's name that nothing reads any more, goes. A claim with a text but no event (written by SQL,
// or restored from a backup of a version that wrote the text alone) is first linked to the event of its
// election with exactly that name, made as migration 20261202100000 made them when there is none, so that
// no name a journalist wrote is lost. The text of a linked claim is the event's name (the app kept it so).

/** The kind an event's old free-text name most likely means; 'other' when it says nothing. */
function kindFromName(name: string): string {
  const n = name.toLowerCase();
  if (/debat|debate/.test(n)) return 'debate';
  if (/wawancara|interview|podcast|talk ?show/.test(n)) return 'interview';
  if (/konferensi pers|jumpa pers|press/.test(n)) return 'press_conference';
  if (/kampanye|rally|orasi/.test(n)) return 'rally';
  if (/visi|misi|manifesto|dokumen|program/.test(n)) return 'document';
  return 'other';
}

/** The migration's own slug rule (a migration never imports app code); same shape as src/lib/slug.ts. */
function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}

export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{
    rows: { election_id: number; event: string; held_on: string; created_by: number | null }[];
  }>(`
    SELECT election_id, event,
           to_char(coalesce(min(said_on), min(created_at)::date), 'YYYY-MM-DD') AS held_on,
           (array_agg(created_by ORDER BY said_on NULLS LAST, id))[1] AS created_by
    FROM claims
    WHERE event_id IS NULL AND event IS NOT NULL AND event <> ''
    GROUP BY election_id, event
    ORDER BY min(coalesce(said_on, created_at::date)), election_id, event`);
  const taken = new Set<string>(rows.length === 0 ? [] : await knex('events').pluck<string[]>('slug'));
  for (const row of rows) {
    let event = await knex('events')
      .where({ election_id: row.election_id, name: row.event })
      .first<{ id: number } | undefined>('id');
    if (!event) {
      const base = slugOf(row.event) || 'acara';
      let slug = base;
      for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
      taken.add(slug);
      [event] = await knex('events')
        .insert({
          slug,
          election_id: row.election_id,
          kind: kindFromName(row.event),
          name: row.event,
          held_on: row.held_on,
          created_by: row.created_by,
        })
        .returning<{ id: number }[]>('id');
    }
    await knex('claims')
      .where({ election_id: row.election_id, event: row.event })
      .whereNull('event_id')
      .update({ event_id: event!.id, updated_at: knex.fn.now() });
  }
  await knex.schema.alterTable('claims', (t) => {
    t.dropColumn('event');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.text('event');
  });
  await knex.raw('UPDATE claims c SET event = e.name FROM events e WHERE e.id = c.event_id');
}
