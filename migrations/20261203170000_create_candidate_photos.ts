import type { Knex } from 'knex';

/**
 * Candidate photos, in the database so that every engine, every instance and the backup carry them.
 * `candidate_photos` is one upload (whose face, its credit and licence, who uploaded it); the newest
 * one not removed for each candidate and person is the photo shown. `candidate_photo_files` holds the
 * sizes made from it, re-encoded without metadata (the upload itself is never stored). `digest` names
 * the files in their URLs, so that a new photo is a new address and each can be cached for a year.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('candidate_photos', (t) => {
    t.increments('id').primary();
    t.integer('candidate_id').notNullable().references('id').inTable('candidates').onDelete('CASCADE');
    t.text('person').notNullable();
    t.text('credit').notNullable();
    t.text('licence').notNullable();
    t.text('digest').notNullable();
    t.text('source_format').notNullable();
    t.integer('source_width').notNullable();
    t.integer('source_height').notNullable();
    t.integer('uploaded_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('removed_at', { useTz: true });
    t.integer('removed_by').references('id').inTable('users');
    t.check("person IN ('candidate', 'running_mate')", [], 'candidate_photos_person_valid');
    t.check("btrim(credit) <> '' AND btrim(licence) <> ''", [], 'candidate_photos_credit_and_licence');
    t.check("digest ~ '^[0-9a-f]{16}$'", [], 'candidate_photos_digest_valid');
    t.index(['candidate_id', 'person', 'id'], 'candidate_photos_current');
    t.index(['uploaded_by'], 'candidate_photos_uploaded_by');
    t.index(['removed_by'], 'candidate_photos_removed_by');
  });
  await knex.schema.createTable('candidate_photo_files', (t) => {
    t.integer('photo_id').notNullable().references('id').inTable('candidate_photos').onDelete('CASCADE');
    t.text('variant').notNullable();
    t.text('format').notNullable();
    t.integer('width').notNullable();
    t.integer('height').notNullable();
    t.binary('bytes').notNullable();
    t.primary(['photo_id', 'variant', 'format']);
    t.check("variant IN ('large', 'small')", [], 'candidate_photo_files_variant_valid');
    t.check("format IN ('webp', 'jpeg')", [], 'candidate_photo_files_format_valid');
    t.check('octet_length(bytes) > 0', [], 'candidate_photo_files_not_empty');
  });
  // A photo's files never change once written: their URLs are cached for a year.
  await knex.raw(
    'CREATE TRIGGER candidate_photo_files_append_only BEFORE UPDATE ON candidate_photo_files FOR EACH ROW EXECUTE FUNCTION forbid_history_change()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('candidate_photo_files');
  await knex.schema.dropTable('candidate_photos');
}
