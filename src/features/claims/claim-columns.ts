import type { Claim } from './claims.types';

/**
 * What a journalist writes about a claim, in the form's order: the claim form, the CSV import and the
 * newsroom's export read their fields from here. `topics` is a field but not a column (claim_topics);
 * nor is `event`, a name that finds or makes the event the claim points at (`event_id`).
 */
export const CLAIM_CONTENT_FIELDS = [
  'title',
  'quote',
  'quote_is_paraphrase',
  'said_on',
  'event',
  'moment',
  'source_publisher',
  'source_title',
  'source_url',
  'topics',
  'deadline',
  'summary',
  'explanation',
] as const;

export type ClaimContentField = (typeof CLAIM_CONTENT_FIELDS)[number];

/** The content fields that are text as written (no topics, no checkbox): imported and compared as is. */
export const CLAIM_TEXT_CONTENT_FIELDS = CLAIM_CONTENT_FIELDS.filter(
  (field): field is Exclude<ClaimContentField, 'topics' | 'quote_is_paraphrase'> =>
    field !== 'topics' && field !== 'quote_is_paraphrase',
);

const KEY_COLUMNS = ['id', 'slug', 'election_id', 'candidate_id', 'kind'] as const;
/** The event the claim was said at (the `event` field names it; `moment` is the time into its video). */
const EVENT_COLUMNS = ['event_id'] as const;
/** The agency of the claim's election responsible for a promise (src/features/term/agencies.ts). */
const AGENCY_COLUMNS = ['agency_id'] as const;
const STATE_COLUMNS = [
  'status',
  'workflow_state',
  'retraction_reason',
  'published_at',
  'retracted_at',
  'created_by',
  'version',
  'created_at',
  'updated_at',
] as const;

export type ClaimColumn =
  | (typeof KEY_COLUMNS)[number]
  | Exclude<ClaimContentField, 'topics' | 'event'>
  | (typeof EVENT_COLUMNS)[number]
  | (typeof AGENCY_COLUMNS)[number]
  | (typeof STATE_COLUMNS)[number];

/**
 * The columns of a claim row, the one list every select, insert and returning of claims reads from
 * (the generated search vector and the stored explanation HTML are not part of a claim).
 */
export const CLAIM_COLUMNS: readonly ClaimColumn[] = [
  ...KEY_COLUMNS,
  ...CLAIM_CONTENT_FIELDS.filter(
    (field): field is Exclude<ClaimContentField, 'topics' | 'event'> =>
      field !== 'topics' && field !== 'event',
  ),
  ...EVENT_COLUMNS,
  ...AGENCY_COLUMNS,
  ...STATE_COLUMNS,
];

// A field added to Claim without its column (or a column without its field) fails to compile here.
type Unlisted = Exclude<keyof Claim, ClaimColumn> | Exclude<ClaimColumn, keyof Claim>;
const everyFieldHasItsColumn: [Unlisted] extends [never] ? true : Unlisted = true;
void everyFieldHasItsColumn;
