import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import type { ClaimsRepository } from '../claims/claims.repository';
import { isSlug } from '../claims/claims.schemas';
import type { PublicClaim } from '../claims/claims.types';
import { CLAIM_KINDS, type ClaimKind, type ClaimStatus, statusesFor } from '../claims/scales';
import type { ElectionsRepository } from '../elections/elections.repository';
import { buildScoreboard, type Scoreboard } from '../elections/scoreboard';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import type { CandidateTerm, TermService } from '../term/term.service';
import type { CandidatesRepository, PublicCandidate } from './candidates.repository';

/** Claims shown per status on a candidate page; the rest are a link to the filtered list away. */
export const CLAIMS_PER_STATUS = 10;

export interface StatusGroup {
  kind: ClaimKind;
  status: ClaimStatus;
  /** How many published claims have this status in all. */
  total: number;
  /** The newest of them, at most CLAIMS_PER_STATUS. */
  claims: PublicClaim[];
}

export interface CandidatePage {
  candidate: PublicCandidate;
  scoreboard: Scoreboard;
  /** Published claims grouped by status, in scale order (promises first); empty groups left out. */
  groups: StatusGroup[];
  term: CandidateTerm;
}

export function candidatesService(deps: {
  candidates: CandidatesRepository;
  claims: ClaimsRepository;
  elections: ElectionsRepository;
  freshness: FreshnessRepository;
  term: TermService;
}) {
  return {
    async freshness(): Promise<Freshness> {
      return deps.freshness.site();
    },

    /** What a candidate's share image shows: the candidate and their scoreboard (two queries). */
    async candidateShare(slug: string): Promise<{ candidate: PublicCandidate; scoreboard: Scoreboard }> {
      const candidate = isSlug(slug) ? await deps.candidates.findBySlug(slug) : undefined;
      if (!candidate) throw new NotFoundError();
      const counts = await deps.elections.statusCountsOfCandidate(candidate.id);
      return { candidate, scoreboard: buildScoreboard(counts) };
    },

    async candidatePage(slug: string): Promise<CandidatePage> {
      const candidate = isSlug(slug) ? await deps.candidates.findBySlug(slug) : undefined;
      if (!candidate) throw new NotFoundError();
      const [counts, claims, term] = await Promise.all([
        deps.elections.statusCountsOfCandidate(candidate.id),
        deps.claims.latestPublishedByCandidate(candidate.id, CLAIMS_PER_STATUS),
        deps.term.candidateTerm(candidate),
      ]);
      const groups: StatusGroup[] = [];
      for (const kind of CLAIM_KINDS) {
        for (const status of statusesFor(kind)) {
          const total = counts.find((c) => c.kind === kind && c.status === status)?.count ?? 0;
          if (total === 0) continue;
          groups.push({
            kind,
            status,
            total,
            claims: claims.filter((c) => c.kind === kind && c.status === status),
          });
        }
      }
      return { candidate, scoreboard: buildScoreboard(counts), groups, term };
    },
  };
}

export type CandidatesService = ReturnType<typeof candidatesService>;
