import type { Knex } from 'knex';

// Keyset pages of published claims read straight off an index however deep the page: one election's or
// one candidate's, newest change first; and everyone's by the date said, claims without a date last
// (sorted as '-infinity', so that the order and the "after this row" condition are one expression).
// And the scoreboards: published claims counted by election, candidate, kind and status from the index.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    "CREATE INDEX claims_published_scoreboard ON claims (election_id, candidate_id, kind, status) WHERE workflow_state = 'published'",
  );
  await knex.raw(
    "CREATE INDEX claims_published_said_key ON claims ((coalesce(said_on, '-infinity'::date)) DESC, id DESC) WHERE workflow_state = 'published'",
  );
  await knex.raw(
    "CREATE INDEX claims_published_election_updated ON claims (election_id, updated_at DESC, id DESC) WHERE workflow_state = 'published'",
  );
  await knex.raw(
    "CREATE INDEX claims_published_candidate_updated ON claims (candidate_id, updated_at DESC, id DESC) WHERE workflow_state = 'published'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX claims_published_candidate_updated');
  await knex.raw('DROP INDEX claims_published_election_updated');
  await knex.raw('DROP INDEX claims_published_said_key');
  await knex.raw('DROP INDEX claims_published_scoreboard');
}
