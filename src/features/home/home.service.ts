import type { Freshness } from '../../lib/freshness';
import type { ClaimsRepository } from '../claims/claims.repository';
import type { PublicClaim, VerdictChange } from '../claims/claims.types';
import type { Candidate, ElectionsRepository, ListedElection } from '../elections/elections.repository';
import { buildScoreboard, type Scoreboard } from '../elections/scoreboard';
import type { FreshnessRepository } from '../freshness/freshness.repository';

export const LATEST_CLAIMS_PER_ELECTION = 10;
export const LATEST_VERDICT_CHANGES = 8;

export interface ElectionOverview {
  election: ListedElection;
  candidates: Candidate[];
  scoreboard: Scoreboard;
  latestClaims: PublicClaim[];
}

export interface HomePage {
  elections: ElectionOverview[];
  verdictChanges: VerdictChange[];
}

export function homeService(deps: {
  elections: ElectionsRepository;
  claims: ClaimsRepository;
  freshness: FreshnessRepository;
}) {
  return {
    async freshness(): Promise<Freshness> {
      return deps.freshness.site();
    },

    /** Every election (ongoing first) with its tickets, scoreboard and latest claims: five queries in all. */
    async overview(): Promise<HomePage> {
      const elections = await deps.elections.list();
      const ids = elections.map((e) => e.id);
      const [candidates, counts, claims, verdictChanges] = await Promise.all([
        deps.elections.candidatesOf(ids),
        deps.elections.statusCounts(ids),
        deps.claims.latestPublishedByElections(ids, LATEST_CLAIMS_PER_ELECTION),
        deps.claims.latestVerdictChanges(LATEST_VERDICT_CHANGES),
      ]);
      return {
        elections: elections.map((election) => ({
          election,
          candidates: candidates.filter((c) => c.election_id === election.id),
          scoreboard: buildScoreboard(counts.filter((c) => c.election_id === election.id)),
          latestClaims: claims.filter((c) => c.election_id === election.id),
        })),
        verdictChanges,
      };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
