import type { Knex } from 'knex';

// Readers who follow claims, candidates and elections by email, the messages queued for them (the
// outbox), readers' tips, and the counters that limit how often one address or IP may write.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscribers', (t) => {
    t.increments('id');
    // Lower-cased on the way in: one reader, one row, whatever case they typed.
    t.text('email').notNullable().unique();
    // Links carry tokens derived from this salt and the server's secret; only their hashes are kept.
    t.text('token_salt').notNullable();
    t.text('manage_token_hash').notNullable().unique();
    // The digest's one-click unsubscribe: it ends every digest follow of this reader at once.
    t.text('digest_unsubscribe_token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('tips', (t) => {
    t.increments('id');
    t.text('kind').notNullable();
    t.integer('claim_id').references('id').inTable('claims').onDelete('SET NULL');
    t.text('quote');
    t.text('speaker');
    t.date('said_on');
    t.text('where_said');
    t.text('url');
    t.text('note');
    t.text('email');
    t.text('lang').notNullable();
    // What makes two tips the same tip (identical ones are merged while they wait in the queue).
    t.text('fingerprint').notNullable();
    t.integer('received_count').notNullable().defaultTo(1);
    // A keyed hash (HMAC) of the sender's IP address, never the address itself.
    t.text('ip_hash').notNullable();
    t.text('state').notNullable().defaultTo('new');
    t.text('dismiss_reason');
    t.integer('handled_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('handled_at', { useTz: true });
    t.integer('result_claim_id').references('id').inTable('claims').onDelete('SET NULL');
    t.integer('result_evidence_id').references('id').inTable('evidence').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("kind IN ('claim', 'evidence')", [], 'tips_kind_valid');
    t.check("lang IN ('id', 'en')", [], 'tips_lang_valid');
    t.check("state IN ('new', 'drafted', 'evidence', 'dismissed')", [], 'tips_state_valid');
    t.check("state <> 'dismissed' OR dismiss_reason IS NOT NULL", [], 'tips_dismissal_has_reason');
    t.check("kind <> 'claim' OR quote IS NOT NULL", [], 'tips_claim_has_quote');
    t.index(['state', 'last_received_at']);
    t.index(['created_at']);
  });
  await knex.raw(`CREATE UNIQUE INDEX tips_waiting_fingerprint ON tips (fingerprint) WHERE state = 'new'`);

  await knex.schema.createTable('follows', (t) => {
    t.increments('id');
    t.integer('subscriber_id').notNullable().references('id').inTable('subscribers').onDelete('CASCADE');
    t.text('target_kind').notNullable();
    t.integer('claim_id').references('id').inTable('claims').onDelete('CASCADE');
    t.integer('candidate_id').references('id').inTable('candidates').onDelete('CASCADE');
    t.integer('election_id').references('id').inTable('elections').onDelete('CASCADE');
    t.integer('tip_id').references('id').inTable('tips').onDelete('CASCADE');
    t.text('lang').notNullable();
    t.boolean('digest').notNullable().defaultTo(false);
    t.text('token_salt').notNullable();
    t.text('confirm_token_hash').notNullable().unique();
    t.text('unsubscribe_token_hash').notNullable().unique();
    t.timestamp('confirmed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("target_kind IN ('claim', 'candidate', 'election', 'tip')", [], 'follows_kind_valid');
    t.check("lang IN ('id', 'en')", [], 'follows_lang_valid');
    // A tip's follow gains the claim the tip became, so that its verdict reaches the tipster.
    t.check(
      `(target_kind = 'claim' AND claim_id IS NOT NULL AND candidate_id IS NULL AND election_id IS NULL AND tip_id IS NULL)
       OR (target_kind = 'candidate' AND candidate_id IS NOT NULL AND claim_id IS NULL AND election_id IS NULL AND tip_id IS NULL)
       OR (target_kind = 'election' AND election_id IS NOT NULL AND claim_id IS NULL AND candidate_id IS NULL AND tip_id IS NULL)
       OR (target_kind = 'tip' AND tip_id IS NOT NULL AND candidate_id IS NULL AND election_id IS NULL)`,
      [],
      'follows_target_matches_kind',
    );
    t.index(['claim_id']);
    t.index(['candidate_id']);
    t.index(['election_id']);
    t.index(['tip_id']);
    t.index(['created_at']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX follows_one_per_target ON follows
       (subscriber_id, target_kind, coalesce(claim_id, 0), coalesce(candidate_id, 0), coalesce(election_id, 0), coalesce(tip_id, 0))`,
  );

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable();
    t.text('recipient').notNullable();
    t.text('lang').notNullable();
    // One message per cause and recipient: a reader who follows a claim and its candidate hears once.
    t.text('idempotency_key').notNullable().unique();
    t.integer('follow_id').references('id').inTable('follows').onDelete('SET NULL');
    t.integer('subscriber_id').references('id').inTable('subscribers').onDelete('SET NULL');
    t.integer('status_update_id').references('id').inTable('status_updates').onDelete('RESTRICT');
    t.jsonb('payload');
    t.text('state').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('lease_until', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("kind IN ('confirm', 'notify', 'digest')", [], 'outbox_kind_valid');
    t.check("lang IN ('id', 'en')", [], 'outbox_lang_valid');
    t.check(
      "state IN ('pending', 'sending', 'sent', 'failed', 'capped', 'cancelled')",
      [],
      'outbox_state_valid',
    );
    t.index(['follow_id']);
    t.index(['subscriber_id']);
    t.index(['created_at']);
  });
  await knex.raw(
    `CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state IN ('pending', 'sending')`,
  );
  await knex.raw(`CREATE INDEX outbox_sent_to ON outbox (recipient, sent_at) WHERE state = 'sent'`);

  // Published status changes waiting for the daily digest of the followers who chose one.
  await knex.schema.createTable('digest_items', (t) => {
    t.integer('follow_id').notNullable().references('id').inTable('follows').onDelete('CASCADE');
    t.integer('status_update_id')
      .notNullable()
      .references('id')
      .inTable('status_updates')
      .onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['follow_id', 'status_update_id']);
    t.index(['created_at']);
  });

  // One row per counted reader write; only keyed hashes of the IP address or email are kept.
  await knex.schema.createTable('reader_requests', (t) => {
    t.bigIncrements('id');
    t.text('action').notNullable();
    t.text('key_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['action', 'key_hash', 'created_at']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reader_requests');
  await knex.schema.dropTable('digest_items');
  await knex.schema.dropTable('outbox');
  await knex.schema.dropTable('follows');
  await knex.schema.dropTable('tips');
  await knex.schema.dropTable('subscribers');
}
