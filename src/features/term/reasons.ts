import type { ClaimStatus } from '../claims/scales';

/** Why a promise broke, stalled or was kept only in part (the fixed list; "other" carries a text). */
export const STATUS_REASONS = [
  'not_prioritised',
  'position_changed',
  'blocked_by_dprd',
  'no_budget',
  'blocked_by_other_government',
  'done_by_others',
  'other',
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

const REASONED: ReadonlySet<ClaimStatus> = new Set(['broken', 'stalled', 'compromise']);

/** Whether a change to this status must say why (and only these may). */
export function needsReason(status: string): boolean {
  return REASONED.has(status as ClaimStatus);
}

export function isStatusReason(value: unknown): value is StatusReason {
  return typeof value === 'string' && (STATUS_REASONS as readonly string[]).includes(value);
}
