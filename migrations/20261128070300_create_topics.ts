import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('topics', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'topics_slug_format');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('topics');
}
