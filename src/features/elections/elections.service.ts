import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import type { ClaimsRepository } from '../claims/claims.repository';
import { isSlug } from '../claims/claims.schemas';
import type { PublicClaim } from '../claims/claims.types';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import type { Candidate, ElectionsRepository, ListedElection, TopicCount } from './elections.repository';
import { buildScoreboard, type Scoreboard } from './scoreboard';

export const ELECTION_PAGE_CLAIMS = 20;

export interface TicketScoreboard {
  candidate: Candidate;
  scoreboard: Scoreboard;
}

export interface ElectionPage {
  election: ListedElection;
  scoreboard: Scoreboard;
  tickets: TicketScoreboard[];
  topics: TopicCount[];
  claims: PublicClaim[];
}

export interface ElectionSummary {
  election: ListedElection;
  candidates: Candidate[];
  scoreboard: Scoreboard;
}

export function electionsService(deps: {
  elections: ElectionsRepository;
  claims: ClaimsRepository;
  freshness: FreshnessRepository;
}) {
  async function findOrThrow(slug: string): Promise<ListedElection> {
    const election = isSlug(slug) ? await deps.elections.findBySlug(slug) : undefined;
    if (!election) throw new NotFoundError();
    return election;
  }

  return {
    async freshness(): Promise<Freshness> {
      return deps.freshness.site();
    },

    /** An election: its tickets with their scoreboards, its topics and its latest claims. */
    async electionPage(slug: string): Promise<ElectionPage> {
      const election = await findOrThrow(slug);
      const filters = { electionIds: [election.id], kinds: [], statuses: [] };
      const [candidates, counts, topics, claims] = await Promise.all([
        deps.elections.candidatesOf([election.id]),
        deps.elections.statusCounts([election.id]),
        deps.elections.topicsOf(election.id),
        deps.claims.listPublished(filters, { sort: 'updated', limit: ELECTION_PAGE_CLAIMS }),
      ]);
      return {
        election,
        scoreboard: buildScoreboard(counts),
        tickets: candidates.map((candidate) => ({
          candidate,
          scoreboard: buildScoreboard(counts.filter((c) => c.candidate_id === candidate.id)),
        })),
        topics,
        claims,
      };
    },

    /** Every election with its candidates and scoreboard (the API), in three queries. */
    async summaries(): Promise<ElectionSummary[]> {
      const elections = await deps.elections.list();
      const ids = elections.map((e) => e.id);
      const [candidates, counts] = await Promise.all([
        deps.elections.candidatesOf(ids),
        deps.elections.statusCounts(ids),
      ]);
      return elections.map((election) => ({
        election,
        candidates: candidates.filter((c) => c.election_id === election.id),
        scoreboard: buildScoreboard(counts.filter((c) => c.election_id === election.id)),
      }));
    },
  };
}

export type ElectionsService = ReturnType<typeof electionsService>;
