import type { Knex } from 'knex';

// Finding a claim already logged, fast at 100,000 claims: the hashes of every run of three words of the
// title and the quote (word shingles), kept by the database beside the claim and indexed, so that a text
// is compared (pg_trgm similarity) only with the claims that share a phrase with it. Trigram indexes
// alone walk the postings of trigrams common to most Indonesian sentences ("an ", "kan"), hundreds of
// milliseconds per text at that size; a run of three words is rare unless the wording is alike.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION claim_shingles(body text) RETURNS integer[] IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT coalesce(array_agg(DISTINCT hashtext(s.w[i] || ' ' || s.w[i + 1] || ' ' || s.w[i + 2])), '{}')
        FROM (SELECT array_remove(regexp_split_to_array(lower(body), '[^[:alnum:]]+'), '') AS w) s,
             generate_series(1, coalesce(array_length(s.w, 1), 0) - 2) AS i
    $$`);
  await knex.raw(
    "ALTER TABLE claims ADD COLUMN shingles integer[] GENERATED ALWAYS AS (claim_shingles(coalesce(title, '') || ' ' || quote)) STORED",
  );
  await knex.raw('CREATE INDEX claims_shingles_gin ON claims USING gin (shingles)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE claims DROP COLUMN shingles');
  await knex.raw('DROP FUNCTION claim_shingles(text)');
}
