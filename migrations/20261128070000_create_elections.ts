import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('elections', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.text('office').notNullable();
    t.text('region').notNullable();
    t.date('voting_day').notNullable();
    t.date('term_start');
    t.date('term_end');
    t.text('description');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'elections_slug_format');
    t.check('term_end IS NULL OR term_start IS NULL OR term_end > term_start', [], 'elections_term_order');
    t.check('version > 0', [], 'elections_version_positive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('elections');
}
