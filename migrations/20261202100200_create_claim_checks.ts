import type { Knex } from 'knex';

// Who is checking which claim, so two reporters on the live desk never check the same claim unawares.
// One row per claim at most: a reporter who takes over replaces the row (audited, like every write).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('claim_checks', (t) => {
    t.integer('claim_id').primary().references('id').inTable('claims').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('claim_checks');
}
