import type { EventKind } from '../events/events.types';
import type { Evidence } from '../evidence/evidence.repository';
import type { PUBLIC_EVIDENCE_COLUMNS, TIMELINE_EVIDENCE_COLUMNS } from '../evidence/evidence-columns';
import type { AgencyRef } from '../term/agencies';
import type { StatusReason } from '../term/reasons';
import type { ClaimKind, ClaimStatus, WorkflowState } from './scales';

export interface Claim {
  id: number;
  slug: string;
  election_id: number;
  candidate_id: number;
  kind: ClaimKind;
  title: string | null;
  quote: string;
  quote_is_paraphrase: boolean;
  said_on: string | null;
  event_id: number | null;
  /** The time into the event's video, HH:MM:SS. */
  moment: string | null;
  /** The agency responsible for a promise, one of its election's (src/features/term/agencies.ts). */
  agency_id: number | null;
  source_publisher: string | null;
  source_title: string | null;
  source_url: string | null;
  status: ClaimStatus;
  summary: string | null;
  explanation: string | null;
  deadline: string | null;
  workflow_state: WorkflowState;
  retraction_reason: string | null;
  published_at: Date | null;
  retracted_at: Date | null;
  created_by: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A claim said again, or the one first logged, as a verdict page links it. */
export interface RepeatRef {
  slug: string;
  title: string | null;
  kind: ClaimKind;
  status: ClaimStatus;
  said_on: string | null;
  moment: string | null;
  event_slug: string | null;
  event_name: string | null;
}

/** A claim as the public sees it: with who said it, in which election, and its topics. */
export interface PublicClaim extends Claim {
  candidate_slug: string;
  candidate_name: string;
  candidate_running_mate: string | null;
  election_slug: string;
  election_name: string;
  topics: { slug: string; name: string }[];
  /** The event the claim was said at, when it has one. */
  event_slug: string | null;
  event_name: string | null;
  event_kind: EventKind | null;
  event_held_on: string | null;
  event_video_url: string | null;
  agency: AgencyRef | null;
}

/** Which published claims a list shows: each filter is OR within itself, AND across filters. */
export interface ClaimFilters {
  q?: string | undefined;
  elections: string[];
  candidates: string[];
  kinds: ClaimKind[];
  statuses: ClaimStatus[];
  topics: string[];
}

export const CLAIM_SORTS = ['updated', 'said'] as const;
export type ClaimSort = (typeof CLAIM_SORTS)[number];

/**
 * Filters with slugs turned into ids (by one query, before the list and the count), so the planner sees
 * real ids and picks the per-election and per-candidate indexes. An id list that is given but empty
 * matches nothing; undefined means the filter is not used.
 */
export interface ResolvedFilters {
  q?: string | undefined;
  electionIds?: number[] | undefined;
  candidateIds?: number[] | undefined;
  topicIds?: number[] | undefined;
  kinds: ClaimKind[];
  statuses: ClaimStatus[];
}

/** Where a page of a list ends: the sort key of its last row (text, at full precision) and its id. */
export interface ClaimCursor {
  sort: ClaimSort;
  key: string;
  id: number;
}

export interface ListedClaim extends PublicClaim {
  /** The sort key of this row for the next page's cursor: updated_at as text, or said_on ('-infinity' if none). */
  cursor_key: string;
}

export type TimelineEvidence = Pick<Evidence, (typeof TIMELINE_EVIDENCE_COLUMNS)[number]>;

/** One published change of a claim's status: an approved status update. */
export interface TimelineEntry {
  id: number;
  from_status: ClaimStatus;
  to_status: ClaimStatus;
  note: string;
  approved_at: Date;
  /** Why (broken, stalled and compromise; null for other statuses and for changes older than reasons). */
  reason_code: StatusReason | null;
  reason_text: string | null;
  evidence: TimelineEvidence[];
}

/** A piece of evidence as the public sees it (not removed). */
export type PublicEvidence = Pick<Evidence, (typeof PUBLIC_EVIDENCE_COLUMNS)[number]>;

export interface PublicCorrection {
  id: number;
  kind: 'verdict_changed' | 'retracted' | 'edited';
  note: string;
  created_at: Date;
}

/** A published status change with its claim, for the home page and the feed. */
export interface VerdictChange {
  id: number;
  from_status: ClaimStatus;
  to_status: ClaimStatus;
  note: string;
  approved_at: Date;
  claim_slug: string;
  claim_title: string;
  claim_kind: ClaimKind;
  candidate_name: string;
  election_name: string;
}
