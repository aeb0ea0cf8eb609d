import type { Knex } from 'knex';

// Who is checking which claim is heard by every instance's change feed, as the claims themselves are, so
// that every open live desk shows it at once.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE TRIGGER claim_checks_notify_public_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON claim_checks FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER claim_checks_notify_public_change ON claim_checks');
}
