import type { Knex } from 'knex';

const PROMISE_STATUSES = ['not_rated', 'in_progress', 'stalled', 'compromise', 'kept', 'broken'];
const STATEMENT_STATUSES = [
  'unverified',
  'true',
  'mostly_true',
  'half_true',
  'misleading',
  'false',
  'unproven',
];
const quoted = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('claims', (t) => {
    t.increments('id');
    t.text('slug').notNullable().unique();
    t.integer('election_id').notNullable();
    t.integer('candidate_id').notNullable();
    t.text('kind').notNullable();
    // A draft logged live may have no title yet; anything beyond draft must have one (check below).
    t.text('title');
    t.text('quote').notNullable();
    t.boolean('quote_is_paraphrase').notNullable().defaultTo(false);
    t.date('said_on');
    t.text('event');
    t.text('source_publisher');
    t.text('source_title');
    t.text('source_url');
    t.text('status').notNullable();
    t.text('summary');
    t.text('explanation');
    t.date('deadline');
    t.text('workflow_state').notNullable().defaultTo('draft');
    t.text('retraction_reason');
    t.timestamp('published_at', { useTz: true });
    t.timestamp('retracted_at', { useTz: true });
    t.integer('created_by').references('id').inTable('users').onDelete('RESTRICT');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign('election_id').references('id').inTable('elections').onDelete('RESTRICT');
    t.foreign(['candidate_id', 'election_id']).references(['id', 'election_id']).inTable('candidates');
    t.index(['election_id']);
    t.index(['candidate_id']);
    t.index(['created_by']);
    t.check("kind IN ('promise', 'statement')", [], 'claims_kind_valid');
    t.check(
      `(kind = 'promise' AND status IN (${quoted(PROMISE_STATUSES)})) OR (kind = 'statement' AND status IN (${quoted(STATEMENT_STATUSES)}))`,
      [],
      'claims_status_on_kind_scale',
    );
    t.check(
      "workflow_state IN ('draft', 'in_review', 'published', 'retracted')",
      [],
      'claims_workflow_state_valid',
    );
    t.check(
      "workflow_state = 'draft' OR (title IS NOT NULL AND title <> '')",
      [],
      'claims_title_beyond_draft',
    );
    t.check("workflow_state <> 'published' OR published_at IS NOT NULL", [], 'claims_published_at_set');
    t.check(
      "workflow_state <> 'retracted' OR (retracted_at IS NOT NULL AND retraction_reason IS NOT NULL AND retraction_reason <> '')",
      [],
      'claims_retraction_reasoned',
    );
    t.check("kind = 'promise' OR deadline IS NULL", [], 'claims_deadline_only_promises');
    t.check("source_url IS NULL OR source_url ~* '^(http|https)://'", [], 'claims_source_url_http');
    t.check("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", [], 'claims_slug_format');
    t.check('version > 0', [], 'claims_version_positive');
  });
  // Full-text search over what readers search for; Indonesian stemming ('sederhana' finds 'penyederhanaan').
  await knex.raw(`
    ALTER TABLE claims ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('indonesian'::regconfig, coalesce(title, '')), 'A') ||
      setweight(to_tsvector('indonesian'::regconfig, coalesce(quote, '')), 'B') ||
      setweight(to_tsvector('indonesian'::regconfig, coalesce(summary, '') || ' ' || coalesce(explanation, '')), 'C')
    ) STORED`);
  await knex.raw('CREATE INDEX claims_search_gin ON claims USING gin (search)');
  // Public lists: newest change first among published claims, with a stable tiebreaker for keyset paging.
  await knex.raw(
    "CREATE INDEX claims_published_updated ON claims (updated_at DESC, id DESC) WHERE workflow_state = 'published'",
  );
  await knex.raw(
    "CREATE INDEX claims_published_said ON claims (said_on DESC NULLS LAST, id DESC) WHERE workflow_state = 'published'",
  );
  await knex.raw('CREATE INDEX claims_workflow_state ON claims (workflow_state, updated_at DESC)');
  await knex.raw('CREATE INDEX claims_status ON claims (status)');

  await knex.schema.createTable('claim_topics', (t) => {
    t.integer('claim_id').notNullable().references('id').inTable('claims').onDelete('CASCADE');
    t.integer('topic_id').notNullable().references('id').inTable('topics').onDelete('RESTRICT');
    t.primary(['claim_id', 'topic_id']);
    t.index(['topic_id', 'claim_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('claim_topics');
  await knex.schema.dropTable('claims');
}
