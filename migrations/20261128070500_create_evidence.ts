import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('evidence', (t) => {
    t.increments('id');
    t.integer('claim_id').notNullable().references('id').inTable('claims').onDelete('RESTRICT');
    t.text('url').notNullable();
    t.text('title').notNullable();
    t.text('publisher');
    t.date('published_on');
    t.text('archive_url');
    t.text('excerpt');
    t.text('stance').notNullable();
    t.integer('added_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Removing evidence hides it; the row and its history stay.
    t.timestamp('removed_at', { useTz: true });
    t.integer('removed_by').references('id').inTable('users').onDelete('RESTRICT');
    t.text('removal_reason');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['claim_id']);
    t.index(['added_by']);
    t.index(['removed_by']);
    t.check("stance IN ('supports', 'contradicts', 'context')", [], 'evidence_stance_valid');
    t.check("url ~* '^(http|https)://[^[:space:]]+$'", [], 'evidence_url_http');
    t.check(
      "archive_url IS NULL OR archive_url ~* '^(http|https)://[^[:space:]]+$'",
      [],
      'evidence_archive_url_http',
    );
    t.check('version > 0', [], 'evidence_version_positive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('evidence');
}
