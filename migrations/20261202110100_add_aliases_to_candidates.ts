import type { Knex } from 'knex';

// The names a candidate goes by in news writing besides the full name and the running mate's ("kang
// Emil", "AH"), kept by editors on the candidate form, so that the finder can tell who is speaking.
export async function up(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE candidates ADD COLUMN aliases text[] NOT NULL DEFAULT '{}'");
  await knex.raw(
    'ALTER TABLE candidates ADD CONSTRAINT candidates_aliases_few CHECK (cardinality(aliases) <= 20)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE candidates DROP COLUMN aliases');
}
