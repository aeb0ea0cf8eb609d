import type { PublicCandidate } from '../candidates/candidates.repository';
import type { ReasonCount, TermRepository } from './term.repository';

/** What a candidate page adds about the term: why promises were not kept. */
export interface CandidateTerm {
  reasons: ReasonCount[];
}

export function termService(deps: { term: TermRepository }) {
  const { term } = deps;
  return {
    async candidateTerm(candidate: PublicCandidate): Promise<CandidateTerm> {
      const reasons = await term.reasonCounts(candidate.id);
      return { reasons };
    },
  };
}

export type TermService = ReturnType<typeof termService>;
