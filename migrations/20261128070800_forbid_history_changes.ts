import type { Knex } from 'knex';

const HISTORY_TABLES = [
  'status_updates',
  'status_update_evidence',
  'status_reviews',
  'corrections',
  'audit_log',
];

// History is append-only at the database level: whatever the application does, an UPDATE, DELETE or
// TRUNCATE on these tables fails.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION forbid_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'history is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
    END
    $$`);
  for (const table of HISTORY_TABLES) {
    await knex.raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION forbid_history_change()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION forbid_history_change()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of HISTORY_TABLES) {
    await knex.raw(`DROP TRIGGER ${table}_no_truncate ON ${table}`);
    await knex.raw(`DROP TRIGGER ${table}_append_only ON ${table}`);
  }
  await knex.raw('DROP FUNCTION forbid_history_change()');
}
