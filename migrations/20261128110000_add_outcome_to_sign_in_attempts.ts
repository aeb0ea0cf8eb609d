import type { Knex } from 'knex';

// Why an attempt failed, so that throttling can leave refused (throttled) attempts out of its counts:
// otherwise an attacker who keeps trying would keep a real user locked out for as long as they like.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sign_in_attempts', (t) => {
    t.text('outcome');
    t.check(
      "outcome IS NULL OR outcome IN ('succeeded', 'wrong_password', 'unknown_email', 'disabled', 'throttled', 'invalid_input')",
      [],
      'sign_in_attempts_outcome_valid',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sign_in_attempts', (t) => {
    t.dropChecks(['sign_in_attempts_outcome_valid']);
    t.dropColumn('outcome');
  });
}
