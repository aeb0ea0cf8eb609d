/**
 * What a journalist writes about a piece of evidence, in the form's order: the evidence form, its
 * stored fields, the newsroom's export and what the public sees all read their fields from here.
 */
export const EVIDENCE_CONTENT_FIELDS = [
  'url',
  'title',
  'publisher',
  'published_on',
  'archive_url',
  'excerpt',
  'stance',
] as const;

export type EvidenceContentField = (typeof EVIDENCE_CONTENT_FIELDS)[number];

/** What the public sees of a piece of evidence on the verdict page and in the API. */
export const PUBLIC_EVIDENCE_COLUMNS = ['id', ...EVIDENCE_CONTENT_FIELDS, 'created_at'] as const;

/** What a timeline entry shows of the evidence it rests on. */
export const TIMELINE_EVIDENCE_COLUMNS = [
  'id',
  'title',
  'url',
  'publisher',
  'published_on',
  'stance',
] as const satisfies readonly (typeof PUBLIC_EVIDENCE_COLUMNS)[number][];

/** The newsroom's evidence export: every piece, removed ones included, with who added and removed it. */
export const EVIDENCE_EXPORT_COLUMNS = [
  'id',
  'claim_id',
  'claim_slug',
  ...EVIDENCE_CONTENT_FIELDS,
  'added_by',
  'created_at',
  'removed_at',
  'removal_reason',
] as const;
