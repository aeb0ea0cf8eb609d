import type { Knex } from 'knex';

const MILESTONES = ['100_days', '1_year', 'midterm', 'end_of_term', 'other'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

// Milestone reports ("100 hari", "1 tahun", "akhir masa jabatan"): a dated report card for a ticket, with
// a frozen snapshot of its scoreboard and of every promise's status on that date. Once published a report
// never changes: both tables are append-only (forbid_history_change, migration 20261128070800), and a
// report is corrected only by a public correction row, which may give a corrected introduction.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('milestone_reports', (t) => {
    t.increments('id');
    t.integer('candidate_id').notNullable().references('id').inTable('candidates').onDelete('RESTRICT');
    t.text('slug').notNullable();
    t.text('milestone').notNullable();
    t.text('title').notNullable();
    t.date('as_of').notNullable();
    t.text('intro').notNullable();
    t.jsonb('snapshot').notNullable();
    t.integer('previous_id').references('id').inTable('milestone_reports').onDelete('RESTRICT');
    t.integer('published_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('published_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['candidate_id', 'slug']);
    t.unique(['candidate_id', 'as_of']);
    t.index(['published_by']);
    t.index(['previous_id']);
    t.check(`milestone IN (${quoted(MILESTONES)})`, [], 'milestone_reports_milestone_valid');
    t.check("btrim(title) <> ''", [], 'milestone_reports_title_present');
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'milestone_reports_slug_valid');
  });
  await knex.schema.createTable('milestone_report_corrections', (t) => {
    t.increments('id');
    t.integer('report_id').notNullable().references('id').inTable('milestone_reports').onDelete('RESTRICT');
    t.text('note').notNullable();
    t.text('intro');
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['report_id']);
    t.index(['created_by']);
    t.check("btrim(note) <> ''", [], 'milestone_report_corrections_note_present');
  });
  for (const table of ['milestone_reports', 'milestone_report_corrections']) {
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
  await knex.schema.dropTable('milestone_report_corrections');
  await knex.schema.dropTable('milestone_reports');
}
