import type { Knex } from 'knex';

// The finder and the claim form look for claims already logged with similar wording: pg_trgm's trigram
// similarity on the title and the quote, answered from GIN indexes so that a lookup stays fast at 100,000
// claims. pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it; the embedded
// engine loads it from PGlite's contrib (src/db.ts pgliteOptions).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw('CREATE INDEX claims_quote_trgm ON claims USING gin (quote gin_trgm_ops)');
  await knex.raw('CREATE INDEX claims_title_trgm ON claims USING gin (title gin_trgm_ops)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX claims_title_trgm');
  await knex.raw('DROP INDEX claims_quote_trgm');
  // Left installed: dropping an extension another schema object may use is not this migration's call.
}
