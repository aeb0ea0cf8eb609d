import type { Knex } from 'knex';

// Deleting a claim, evidence item, user or status update looks up the reader rows that point at it: each
// of these references leads an index of its own, like every other foreign key in the schema.
const REFERENCES: [table: string, column: string][] = [
  ['tips', 'claim_id'],
  ['tips', 'handled_by'],
  ['tips', 'result_claim_id'],
  ['tips', 'result_evidence_id'],
  ['outbox', 'status_update_id'],
  ['digest_items', 'status_update_id'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of REFERENCES) {
    await knex.schema.alterTable(table, (t) => {
      t.index([column]);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of REFERENCES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex([column]);
    });
  }
}
