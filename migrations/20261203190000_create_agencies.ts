import type { Knex } from 'knex';

// The agencies (OPD: dinas, badan, kantor) of the government an election is for, one list per election,
// kept by editors; a promise may name the agency responsible for it. The agency must be of the claim's
// own election: a foreign key on (agency_id, election_id) says so to the database as well.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('agencies', (t) => {
    t.increments('id');
    t.integer('election_id').notNullable().references('id').inTable('elections').onDelete('RESTRICT');
    t.text('slug').notNullable();
    t.text('name').notNullable();
    t.text('short_name');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['election_id', 'slug']);
    t.unique(['id', 'election_id']);
    t.check("btrim(name) <> ''", [], 'agencies_name_present');
    t.check("short_name IS NULL OR btrim(short_name) <> ''", [], 'agencies_short_name_present');
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'agencies_slug_valid');
  });
  await knex.raw('CREATE UNIQUE INDEX agencies_election_name_unique ON agencies (election_id, lower(name))');
  await knex.schema.alterTable('claims', (t) => {
    t.integer('agency_id');
    t.foreign(['agency_id', 'election_id'], 'claims_agency_of_election')
      .references(['id', 'election_id'])
      .inTable('agencies')
      .onDelete('RESTRICT');
    t.index(['agency_id'], 'claims_agency_id_index');
  });
  await knex.raw(
    'CREATE TRIGGER agencies_notify_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agencies FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER agencies_notify_public_change ON agencies');
  await knex.schema.alterTable('claims', (t) => {
    t.dropForeign(['agency_id', 'election_id'], 'claims_agency_of_election');
    t.dropIndex(['agency_id'], 'claims_agency_id_index');
    t.dropColumn('agency_id');
  });
  await knex.schema.dropTable('agencies');
}
