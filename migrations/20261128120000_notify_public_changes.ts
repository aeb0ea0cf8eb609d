import type { Knex } from 'knex';

// Every change to what public pages are built from sends a notification on the channel
// `kawal_janji_public` (payload: the table's name), delivered at commit and only if the transaction
// commits. Each app instance LISTENs on it and forgets the page versions it remembered, so a published
// change shows on every instance at once (src/lib/change-feed.ts, src/http/page-cache.ts). A trigger rather than calls in each
// writer: the newsroom forms, the CSV import, the command line and a psql session are all covered.
// Statement-level, and PostgreSQL folds identical notifications of one transaction into one.
const TABLES = [
  'claims',
  'claim_topics',
  'evidence',
  'status_reviews',
  'status_update_evidence',
  'corrections',
  'elections',
  'candidates',
  'topics',
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('kawal_janji_public', TG_TABLE_NAME);
      RETURN NULL;
    END
    $$`);
  for (const table of TABLES) {
    await knex.raw(
      `CREATE TRIGGER ${table}_notify_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [...TABLES].reverse()) {
    await knex.raw(`DROP TRIGGER ${table}_notify_public_change ON ${table}`);
  }
  await knex.raw('DROP FUNCTION notify_public_change()');
}
