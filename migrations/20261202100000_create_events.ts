import type { Knex } from 'knex';

// Events (a debate, an interview, a rally, a press conference, a document such as a visi-misi) become
// rows of their own, with a page at /events/:slug, and a claim points at its event. Every distinct
// `claims.event` text of an election becomes one event, dated by the earliest claim said there, and its
// claims are linked to it; the text column stays until every reader of it reads the event instead.
// A claim may also carry its moment in the event: the time into the video, HH:MM:SS.

const KINDS = ['debate', 'interview', 'rally', 'press_conference', 'document', 'other'];
const LIVE_STATES = ['scheduled', 'live', 'ended'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

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
  await knex.schema.createTable('events', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.integer('election_id').notNullable().references('id').inTable('elections').onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.date('held_on').notNullable();
    t.time('starts_at');
    t.text('place');
    t.text('organiser');
    t.text('video_url');
    t.text('live_state').notNullable().defaultTo('scheduled');
    t.timestamp('live_started_at', { useTz: true });
    t.timestamp('live_ended_at', { useTz: true });
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['election_id', 'name']);
    t.index(['created_by']);
    t.index(['held_on']);
    t.check(`kind IN (${quoted(KINDS)})`, [], 'events_kind_valid');
    t.check(`live_state IN (${quoted(LIVE_STATES)})`, [], 'events_live_state_valid');
    t.check("name <> ''", [], 'events_name_present');
    t.check("video_url IS NULL OR video_url ~* '^(http|https)://'", [], 'events_video_url_http');
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'events_slug_format');
    t.check('version > 0', [], 'events_version_positive');
  });

  await knex.schema.alterTable('claims', (t) => {
    t.integer('event_id').references('id').inTable('events').onDelete('RESTRICT');
    t.text('moment');
    t.check("moment IS NULL OR moment ~ '^[0-9]{2,3}:[0-5][0-9]:[0-5][0-9]$'", [], 'claims_moment_format');
  });
  // An event's page lists its claims in the order said.
  await knex.raw('CREATE INDEX claims_event_moment ON claims (event_id, moment, id)');

  // Every distinct event text of an election, exactly as written, with the earliest date said there.
  const { rows } = await knex.raw<{
    rows: { election_id: number; event: string; held_on: string; created_by: number | null }[];
  }>(`
    SELECT election_id, event,
           to_char(coalesce(min(said_on), min(created_at)::date), 'YYYY-MM-DD') AS held_on,
           (array_agg(created_by ORDER BY said_on NULLS LAST, id))[1] AS created_by
    FROM claims
    WHERE event IS NOT NULL AND event <> ''
    GROUP BY election_id, event
    ORDER BY min(coalesce(said_on, created_at::date)), election_id, event`);
  const taken = new Set<string>();
  for (const row of rows) {
    const base = slugOf(row.event) || 'acara';
    let slug = base;
    for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
    taken.add(slug);
    const [event] = await knex('events')
      .insert({
        slug,
        election_id: row.election_id,
        kind: kindFromName(row.event),
        name: row.event,
        held_on: row.held_on,
        created_by: row.created_by,
      })
      .returning<{ id: number }[]>('id');
    await knex('claims')
      .where({ election_id: row.election_id, event: row.event })
      .update({ event_id: event?.id });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX claims_event_moment');
  await knex.schema.alterTable('claims', (t) => {
    t.dropChecks(['claims_moment_format']);
    t.dropColumn('moment');
    t.dropColumn('event_id');
  });
  await knex.schema.dropTable('events');
}
