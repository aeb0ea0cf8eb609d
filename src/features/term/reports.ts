import type { ClaimKind, ClaimStatus } from '../claims/scales';
import type { AgencyRef } from './agencies';
import type { StatusReason } from './reasons';

/** Which milestone a report marks; "other" is named by its title alone. */
export const MILESTONES = ['100_days', '1_year', 'midterm', 'end_of_term', 'other'] as const;
export type Milestone = (typeof MILESTONES)[number];

export function isMilestone(value: unknown): value is Milestone {
  return typeof value === 'string' && (MILESTONES as readonly string[]).includes(value);
}

/** One promise as a report froze it: its status (and why) on the report's date. */
export interface SnapshotPromise {
  id: number;
  slug: string;
  title: string | null;
  status: ClaimStatus;
  reason_code: StatusReason | null;
  reason_text: string | null;
  deadline: string | null;
  agency: AgencyRef | null;
}

/**
 * What a report froze on publication: the scoreboard (published claims of both kinds by status, as they
 * stood at the end of `as_of`, UTC) and every promise then published with its status then.
 */
export interface ReportSnapshot {
  as_of: string;
  counts: { kind: ClaimKind; status: ClaimStatus; count: number }[];
  promises: SnapshotPromise[];
}

/** A published claim as it stood at a report's date (read by the reports repository). */
export interface ClaimAtDate extends SnapshotPromise {
  kind: ClaimKind;
}

export function buildSnapshot(asOf: string, claims: readonly ClaimAtDate[]): ReportSnapshot {
  const counts = new Map<string, { kind: ClaimKind; status: ClaimStatus; count: number }>();
  for (const claim of claims) {
    const key = `${claim.kind}:${claim.status}`;
    const entry = counts.get(key) ?? { kind: claim.kind, status: claim.status, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return {
    as_of: asOf,
    counts: [...counts.values()].sort((a, b) =>
      a.kind === b.kind ? a.status.localeCompare(b.status) : a.kind.localeCompare(b.kind),
    ),
    promises: claims.filter((c) => c.kind === 'promise').map(({ kind: _kind, ...promise }) => promise),
  };
}

export interface ReportChanges {
  /** Promises whose status moved between the two reports. */
  moved: { promise: SnapshotPromise; from: ClaimStatus }[];
  /** Promises in this report that the previous one did not have. */
  added: SnapshotPromise[];
  /** Promises of the previous report no longer published by this one (retracted meanwhile). */
  dropped: SnapshotPromise[];
}

/** What changed from one frozen snapshot to the next: both are frozen, so this never moves either. */
export function changesSince(previous: ReportSnapshot, current: ReportSnapshot): ReportChanges {
  const before = new Map(previous.promises.map((p) => [p.id, p]));
  const now = new Set(current.promises.map((p) => p.id));
  const moved: ReportChanges['moved'] = [];
  const added: SnapshotPromise[] = [];
  for (const promise of current.promises) {
    const old = before.get(promise.id);
    if (!old) added.push(promise);
    else if (old.status !== promise.status) moved.push({ promise, from: old.status });
  }
  const dropped = previous.promises.filter((p) => !now.has(p.id));
  return { moved, added, dropped };
}
