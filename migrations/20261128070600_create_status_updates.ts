import type { Knex } from 'knex';

// A status update is proposed once and never changes; an editor's decision on it is a row of its own
// in status_reviews. Both are append-only (see the next migration), so the public timeline is a record.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('status_updates', (t) => {
    t.increments('id');
    t.integer('claim_id').notNullable().references('id').inTable('claims').onDelete('RESTRICT');
    t.text('from_status').notNullable();
    t.text('to_status').notNullable();
    t.text('note').notNullable();
    t.integer('proposed_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['claim_id', 'id']);
    t.index(['proposed_by']);
    t.check("btrim(note) <> ''", [], 'status_updates_note_required');
  });

  await knex.schema.createTable('status_update_evidence', (t) => {
    t.integer('status_update_id')
      .notNullable()
      .references('id')
      .inTable('status_updates')
      .onDelete('RESTRICT');
    t.integer('evidence_id').notNullable().references('id').inTable('evidence').onDelete('RESTRICT');
    t.primary(['status_update_id', 'evidence_id']);
    t.index(['evidence_id']);
  });

  await knex.schema.createTable('status_reviews', (t) => {
    t.increments('id');
    t.integer('status_update_id').notNullable().unique().references('id').inTable('status_updates');
    t.text('decision').notNullable();
    // On approval: the claim's status just before this update took effect (the timeline's "from").
    t.text('applied_from_status');
    t.text('reason');
    t.integer('reviewed_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['reviewed_by']);
    t.check("decision IN ('approved', 'rejected')", [], 'status_reviews_decision_valid');
    t.check(
      "decision = 'approved' OR (reason IS NOT NULL AND btrim(reason) <> '')",
      [],
      'status_reviews_rejection_reasoned',
    );
    t.check("decision = 'rejected' OR applied_from_status IS NOT NULL", [], 'status_reviews_approval_from');
  });

  await knex.schema.createTable('corrections', (t) => {
    t.increments('id');
    t.integer('claim_id').notNullable().references('id').inTable('claims').onDelete('RESTRICT');
    t.text('kind').notNullable();
    t.text('note').notNullable();
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['claim_id', 'created_at']);
    t.index(['created_by']);
    t.check("kind IN ('verdict_changed', 'retracted', 'edited')", [], 'corrections_kind_valid');
    t.check("btrim(note) <> ''", [], 'corrections_note_required');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('corrections');
  await knex.schema.dropTable('status_reviews');
  await knex.schema.dropTable('status_update_evidence');
  await knex.schema.dropTable('status_updates');
}
