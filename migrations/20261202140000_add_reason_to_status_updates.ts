import type { Knex } from 'knex';

// Kept here rather than imported: a migration never imports app code (the list may grow in a later
// migration, never in this one).
const REASONS = [
  'not_prioritised',
  'position_changed',
  'blocked_by_dprd',
  'no_budget',
  'blocked_by_other_government',
  'done_by_others',
  'other',
];
const REASONED = ['broken', 'stalled', 'compromise'];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Why a promise broke, stalled or was kept only in part: one reason from a fixed list (and a text for
 * "other"), required for exactly those three statuses and refused for every other. Status updates are
 * append-only, so the ones proposed before reasons existed cannot be given one: the rule holds for
 * every update created from this migration's time on (a restore keeps created_at, so old rows restore).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('status_updates', (t) => {
    t.text('reason_code');
    t.text('reason_text');
    t.check(`reason_code IS NULL OR reason_code IN (${quoted(REASONS)})`, [], 'status_updates_reason_valid');
    t.check(
      `reason_code IS NULL OR to_status IN (${quoted(REASONED)})`,
      [],
      'status_updates_reason_only_when_reasoned',
    );
    t.check(
      `reason_code IS NOT NULL OR to_status NOT IN (${quoted(REASONED)}) OR created_at < '2026-12-02T14:00:00Z'`,
      [],
      'status_updates_reason_required',
    );
    t.check(
      "(reason_code = 'other' AND reason_text IS NOT NULL AND btrim(reason_text) <> '') OR (reason_code IS DISTINCT FROM 'other' AND reason_text IS NULL)",
      [],
      'status_updates_reason_text_for_other',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('status_updates', (t) => {
    t.dropChecks([
      'status_updates_reason_valid',
      'status_updates_reason_only_when_reasoned',
      'status_updates_reason_required',
      'status_updates_reason_text_for_other',
    ]);
    t.dropColumn('reason_text');
    t.dropColumn('reason_code');
  });
}
