import type { Knex } from 'knex';

// The ticket that won the election: its term is the one whose progress the candidate page follows. At
// most one winner per election.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('candidates', (t) => {
    t.boolean('is_winner').notNullable().defaultTo(false);
  });
  await knex.raw('CREATE UNIQUE INDEX candidates_one_winner ON candidates (election_id) WHERE is_winner');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX candidates_one_winner');
  await knex.schema.alterTable('candidates', (t) => {
    t.dropColumn('is_winner');
  });
}
