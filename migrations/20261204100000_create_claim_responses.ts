import type { Knex } from 'knex';

// The right of reply: what a candidate or their team answered to a verdict, as the newsroom recorded it
// (when they answered, who, the text and/or a link). A response is public with its claim from the moment
// an editor records it and never changes afterwards: both tables are append-only
// (forbid_history_change, migration 20261128070800), and a response is corrected only by a public
// correction row with a note and the response's text and link as corrected. Every change notifies the
// page cache's change feed (notify_public_change, migration 20261128120000), so cached verdict pages go.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('claim_responses', (t) => {
    t.increments('id');
    t.integer('claim_id').notNullable().references('id').inTable('claims').onDelete('RESTRICT');
    t.timestamp('responded_at', { useTz: true }).notNullable();
    t.text('responder').notNullable();
    t.text('responder_role');
    t.text('text');
    t.text('url');
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['claim_id']);
    t.index(['created_by']);
    t.check("btrim(responder) <> ''", [], 'claim_responses_responder_present');
    t.check(
      "(text IS NOT NULL AND btrim(text) <> '') OR url IS NOT NULL",
      [],
      'claim_responses_content_present',
    );
    t.check("url ~* '^(http|https)://[^[:space:]]+$'", [], 'claim_responses_url_http');
  });
  await knex.schema.createTable('claim_response_corrections', (t) => {
    t.increments('id');
    t.integer('response_id').notNullable().references('id').inTable('claim_responses').onDelete('RESTRICT');
    t.text('note').notNullable();
    // The response's text and link as they read after this correction (the whole content, not a diff).
    t.text('text');
    t.text('url');
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['response_id']);
    t.index(['created_by']);
    t.check("btrim(note) <> ''", [], 'claim_response_corrections_note_present');
    t.check(
      "(text IS NOT NULL AND btrim(text) <> '') OR url IS NOT NULL",
      [],
      'claim_response_corrections_content_present',
    );
    t.check("url ~* '^(http|https)://[^[:space:]]+$'", [], 'claim_response_corrections_url_http');
  });
  for (const table of ['claim_responses', 'claim_response_corrections']) {
    await knex.raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION forbid_history_change()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_notify_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('claim_response_corrections');
  await knex.schema.dropTable('claim_responses');
}
