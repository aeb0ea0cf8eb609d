import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('candidates', (t) => {
    t.increments('id');
    t.integer('election_id').notNullable().references('id').inTable('elections').onDelete('RESTRICT');
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    // A ticket is a candidate with a running mate (e.g. mayor and deputy mayor).
    t.text('running_mate');
    t.text('party');
    t.boolean('is_incumbent').notNullable().defaultTo(false);
    t.integer('ballot_number');
    t.text('bio');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['election_id']);
    // Lets claims reference (candidate, election) together so a claim's candidate stands in its election.
    t.unique(['id', 'election_id']);
    t.unique(['election_id', 'ballot_number']);
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'candidates_slug_format');
    t.check('ballot_number IS NULL OR ballot_number > 0', [], 'candidates_ballot_number_positive');
    t.check('version > 0', [], 'candidates_version_positive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('candidates');
}
