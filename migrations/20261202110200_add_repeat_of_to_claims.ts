import type { Knex } from 'knex';

// A claim a candidate said again (from debate to rally) points to the claim first logged; each keeps its
// own status. An original is never itself a repeat (the application links to the first one), and a claim
// cannot repeat itself. The original may have been logged after the repeat (a larger id), so the key is
// checked at commit: a restore inserts claims in id order.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TABLE claims ADD COLUMN repeat_of integer REFERENCES claims (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED',
  );
  await knex.raw('ALTER TABLE claims ADD CONSTRAINT claims_repeat_not_self CHECK (repeat_of <> id)');
  await knex.raw('CREATE INDEX claims_repeat_of ON claims (repeat_of) WHERE repeat_of IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE claims DROP COLUMN repeat_of');
}
