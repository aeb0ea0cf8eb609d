import type { Knex } from 'knex';

// Finding a claim already logged, in a few milliseconds at 100,000 claims, however alike the claims of an
// election are worded. Each run of three words of a claim's title and quote (its shingles) becomes a row
// of claim_phrases, keyed by election and phrase, kept by statement triggers on claims. A lookup first
// counts, for each phrase of the text, how many claims of the election share it (stopping at a hundred),
// keeps the rarest phrases, and compares with pg_trgm only the claims that share most of those: the
// phrases every claim of an election shares ("di Kota Samarinda") never make it walk the whole election,
// which the array column's GIN index (dropped here) could not avoid.
//
// claim_shingles() is also rewritten to split the text once: the planner pulled the split up into each
// of its three uses, a split per word, 3 ms for a quote of two hundred characters. Its results are the
// same, so the stored column stays valid.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION claim_shingles(body text) RETURNS integer[] IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT coalesce(array_agg(DISTINCT hashtext(s.w[i] || ' ' || s.w[i + 1] || ' ' || s.w[i + 2])), '{}')
        FROM (SELECT array_remove(regexp_split_to_array(lower(body), '[^[:alnum:]]+'), '') AS w OFFSET 0) s,
             generate_series(1, coalesce(array_length(s.w, 1), 0) - 2) AS i
    $$`);
  await knex.raw(`
    CREATE TABLE claim_phrases (
      election_id integer NOT NULL,
      shingle integer NOT NULL,
      claim_id integer NOT NULL,
      PRIMARY KEY (election_id, shingle, claim_id)
    )`);
  await knex.raw('CREATE INDEX claim_phrases_claim_id ON claim_phrases (claim_id)');
  // Thirty-odd rows a claim: filled a few thousand claims a statement, each well inside the time a
  // statement may take, however many claims there are.
  const { rows } = await knex.raw<{ rows: { max: number | null }[] }>('SELECT max(id) AS max FROM claims');
  const last = rows[0]?.max ?? 0;
  for (let from = 0; from <= last; from += 2_000) {
    await knex.raw(
      `INSERT INTO claim_phrases (election_id, shingle, claim_id)
         SELECT c.election_id, s.shingle, c.id FROM claims c, unnest(c.shingles) AS s(shingle)
          WHERE c.id > ? AND c.id <= ?`,
      [from, from + 2_000],
    );
  }
  // Statement triggers with transition tables: a bulk insert (an import, a restore) writes its phrases in
  // one statement. An update that changes neither the wording nor the election writes nothing.
  await knex.raw(`
    CREATE FUNCTION claim_phrases_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO claim_phrases (election_id, shingle, claim_id)
        SELECT n.election_id, s.shingle, n.id FROM added n, unnest(n.shingles) AS s(shingle);
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION claim_phrases_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM claim_phrases p
        USING before_rows o JOIN after_rows n ON n.id = o.id
        WHERE p.claim_id = o.id
          AND (o.shingles IS DISTINCT FROM n.shingles OR o.election_id <> n.election_id);
      INSERT INTO claim_phrases (election_id, shingle, claim_id)
        SELECT n.election_id, s.shingle, n.id
          FROM before_rows o JOIN after_rows n ON n.id = o.id, unnest(n.shingles) AS s(shingle)
          WHERE o.shingles IS DISTINCT FROM n.shingles OR o.election_id <> n.election_id;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE FUNCTION claim_phrases_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM claim_phrases p USING removed o WHERE p.claim_id = o.id;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE TRIGGER claim_phrases_insert AFTER INSERT ON claims REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION claim_phrases_added()`);
  await knex.raw(`CREATE TRIGGER claim_phrases_update AFTER UPDATE ON claims
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION claim_phrases_changed()`);
  await knex.raw(`CREATE TRIGGER claim_phrases_delete AFTER DELETE ON claims REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION claim_phrases_removed()`);
  await knex.raw('DROP INDEX claims_shingles_gin');
  await knex.raw('ANALYZE claim_phrases');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX claims_shingles_gin ON claims USING gin (shingles)');
  await knex.raw('DROP TRIGGER claim_phrases_delete ON claims');
  await knex.raw('DROP TRIGGER claim_phrases_update ON claims');
  await knex.raw('DROP TRIGGER claim_phrases_insert ON claims');
  await knex.raw('DROP FUNCTION claim_phrases_removed()');
  await knex.raw('DROP FUNCTION claim_phrases_changed()');
  await knex.raw('DROP FUNCTION claim_phrases_added()');
  await knex.raw('DROP TABLE claim_phrases');
}
