import type { ClaimsRepository, PublicClaim } from '../claims/claims.repository';
import type { Candidate, Election, ElectionsRepository } from '../elections/elections.repository';

export interface ElectionOverview {
  election: Election;
  candidates: Candidate[];
  claims: PublicClaim[];
}

export function homeService(deps: { elections: ElectionsRepository; claims: ClaimsRepository }) {
  return {
    /** Every election with its candidates and published claims, in three queries whatever the counts. */
    async overview(): Promise<ElectionOverview[]> {
      const elections = await deps.elections.list();
      const ids = elections.map((e) => e.id);
      const [candidates, claims] = await Promise.all([
        deps.elections.candidatesOf(ids),
        deps.claims.listPublishedByElections(ids),
      ]);
      return elections.map((election) => ({
        election,
        candidates: candidates.filter((c) => c.election_id === election.id),
        claims: claims.filter((c) => c.election_id === election.id),
      }));
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
