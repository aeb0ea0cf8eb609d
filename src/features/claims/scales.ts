export const CLAIM_KINDS = ['promise', 'statement'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export const PROMISE_STATUSES = [
  'not_rated',
  'in_progress',
  'stalled',
  'compromise',
  'kept',
  'broken',
] as const;
export const STATEMENT_STATUSES = [
  'unverified',
  'true',
  'mostly_true',
  'half_true',
  'misleading',
  'false',
  'unproven',
] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];
export type ClaimStatus = PromiseStatus | StatementStatus;
export const ALL_STATUSES: readonly ClaimStatus[] = [...PROMISE_STATUSES, ...STATEMENT_STATUSES];

export const WORKFLOW_STATES = ['draft', 'in_review', 'published', 'retracted'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

export const EVIDENCE_STANCES = ['supports', 'contradicts', 'context'] as const;
export type EvidenceStance = (typeof EVIDENCE_STANCES)[number];

/** The status a new claim of each kind starts with. */
export const INITIAL_STATUS: Record<ClaimKind, ClaimStatus> = {
  promise: 'not_rated',
  statement: 'unverified',
};

const NOT_FINAL: ReadonlySet<ClaimStatus> = new Set(['not_rated', 'in_progress', 'unverified']);

/** ClaimReview ratingValue (1 to 5) where the scale gives one. */
const RATING_VALUE: Partial<Record<ClaimStatus, number>> = {
  true: 5,
  mostly_true: 4,
  half_true: 3,
  misleading: 2,
  false: 1,
};

export function statusesFor(kind: ClaimKind): readonly ClaimStatus[] {
  return kind === 'promise' ? PROMISE_STATUSES : STATEMENT_STATUSES;
}

export function isStatusOnScale(kind: ClaimKind, status: string): status is ClaimStatus {
  return (statusesFor(kind) as readonly string[]).includes(status);
}

/** A final rating is a verdict; it must rest on at least one piece of evidence. */
export function isFinalStatus(status: ClaimStatus): boolean {
  return !NOT_FINAL.has(status);
}

/** Whether the claim has been rated at all (unrated claims carry no ClaimReview). */
export function isRated(status: ClaimStatus): boolean {
  return status !== 'not_rated' && status !== 'unverified';
}

export function ratingValue(status: ClaimStatus): number | undefined {
  return RATING_VALUE[status];
}

export function isClaimKind(value: unknown): value is ClaimKind {
  return value === 'promise' || value === 'statement';
}
