import type { Claim } from './claims.types';

/**
 * The columns of a claim row, the one list every select, insert and returning of claims reads from
 * (the generated search vector and the stored explanation HTML are not part of a claim).
 */
export const CLAIM_COLUMNS = [
  'id',
  'slug',
  'election_id',
  'candidate_id',
  'kind',
  'title',
  'quote',
  'quote_is_paraphrase',
  'said_on',
  'event',
  'source_publisher',
  'source_title',
  'source_url',
  'status',
  'summary',
  'explanation',
  'deadline',
  'workflow_state',
  'retraction_reason',
  'published_at',
  'retracted_at',
  'created_by',
  'version',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Claim)[];

// A field added to Claim without its column (or the reverse) fails to compile here.
type Missing = Exclude<keyof Claim, (typeof CLAIM_COLUMNS)[number]>;
const everyFieldHasItsColumn: [Missing] extends [never] ? true : Missing = true;
void everyFieldHasItsColumn;
