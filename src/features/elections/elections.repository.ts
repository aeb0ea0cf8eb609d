import type { Db } from '../../db';
import type { ClaimKind, ClaimStatus } from '../claims/scales';
import { type CandidatePhoto, CURRENT_PHOTOS_SQL } from '../photos/photos.repository';

export interface Election {
  id: number;
  slug: string;
  name: string;
  office: string;
  region: string;
  voting_day: string;
  term_start: string | null;
  term_end: string | null;
  description: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** An election as lists show it: whether its term (and so its promises) is still running. */
export interface ListedElection extends Election {
  ongoing: boolean;
}

export interface Candidate {
  id: number;
  election_id: number;
  slug: string;
  name: string;
  running_mate: string | null;
  party: string | null;
  is_incumbent: boolean;
  /** The ticket that won: its term is the one followed (src/features/term/progress.ts). */
  is_winner: boolean;
  ballot_number: number | null;
  bio: string | null;
  version: number;
  /** The photos shown now (read with the candidate where pages show them). */
  photos?: CandidatePhoto[];
}

/** How many published claims of one kind and status a candidate has. */
export interface StatusCount {
  election_id: number;
  candidate_id: number;
  kind: ClaimKind;
  status: ClaimStatus;
  count: number;
}

export interface TopicCount {
  slug: string;
  name: string;
  count: number;
}

export function electionsRepository(db: Db) {
  /** Election, then ballot number (unnumbered last), then name: the order of every candidate list. */
  const inCandidateOrder = () =>
    db<Candidate>('candidates').orderBy([
      { column: 'election_id', order: 'asc' },
      { column: 'ballot_number', order: 'asc', nulls: 'last' },
      { column: 'name' },
    ]);

  return {
    /**
     * Ongoing elections first (no term end yet, or a term end still to come), then the newest voting day.
     */
    async list(): Promise<ListedElection[]> {
      return db('elections')
        .select('*', {
          ongoing: db.raw('(term_end IS NULL OR term_end >= current_date)'),
        })
        .orderByRaw('(term_end IS NULL OR term_end >= current_date) DESC, voting_day DESC, id DESC');
    },
    async findBySlug(slug: string): Promise<ListedElection | undefined> {
      return db('elections')
        .select('*', { ongoing: db.raw('(term_end IS NULL OR term_end >= current_date)') })
        .where({ slug })
        .first();
    },
    async candidatesOf(electionIds: number[]): Promise<Candidate[]> {
      if (electionIds.length === 0) return [];
      return db<Candidate>('candidates as k')
        .whereIn('k.election_id', electionIds)
        .select('k.*', { photos: db.raw(CURRENT_PHOTOS_SQL) })
        .orderBy([{ column: 'k.ballot_number', order: 'asc', nulls: 'last' }, { column: 'k.name' }]);
    },
    /**
     * Candidates for the list's filter: those of the chosen elections and the chosen candidates; with no
     * election chosen, all of them while there are at most `limit`, else only the chosen ones (`more`
     * then says that the reader should pick an election first). A constant number of queries, and a page
     * that stays small however many candidates a newsroom has followed over the years.
     */
    async candidatesForFilter(
      chosen: { elections: string[]; candidates: string[] },
      limit: number,
    ): Promise<{ candidates: Candidate[]; more: boolean }> {
      if (chosen.elections.length > 0) {
        const candidates = await inCandidateOrder()
          .whereIn('election_id', db('elections').select('id').whereIn('slug', chosen.elections))
          .orWhereIn('slug', chosen.candidates);
        return { candidates, more: false };
      }
      const first = await inCandidateOrder().limit(limit + 1);
      if (first.length <= limit) return { candidates: first, more: false };
      const candidates = chosen.candidates.length
        ? await inCandidateOrder().whereIn('slug', chosen.candidates)
        : [];
      return { candidates, more: true };
    },
    /** Every candidate of every election (the sitemap). */
    async allCandidates(): Promise<Candidate[]> {
      return inCandidateOrder();
    },
    /** Published claims counted by candidate, kind and status: the scoreboards, in one query. */
    async statusCounts(electionIds: number[]): Promise<StatusCount[]> {
      if (electionIds.length === 0) return [];
      return db('claims')
        .whereIn('election_id', electionIds)
        .where('workflow_state', 'published')
        .select('election_id', 'candidate_id', 'kind', 'status')
        .count<StatusCount[]>({ count: '*' })
        .groupBy('election_id', 'candidate_id', 'kind', 'status');
    },
    /** One candidate's published claims counted by kind and status. */
    async statusCountsOfCandidate(candidateId: number): Promise<StatusCount[]> {
      return db('claims')
        .where('candidate_id', candidateId)
        .where('workflow_state', 'published')
        .select('election_id', 'candidate_id', 'kind', 'status')
        .count<StatusCount[]>({ count: '*' })
        .groupBy('election_id', 'candidate_id', 'kind', 'status');
    },
    /** The topics of an election's published claims, with how many claims each. */
    async topicsOf(electionId: number): Promise<TopicCount[]> {
      return db('topics as t')
        .join('claim_topics as ct', 'ct.topic_id', 't.id')
        .join('claims as c', 'c.id', 'ct.claim_id')
        .where('c.election_id', electionId)
        .where('c.workflow_state', 'published')
        .select('t.slug', 't.name')
        .count<TopicCount[]>({ count: '*' })
        .groupBy('t.id', 't.slug', 't.name')
        .orderBy([{ column: 'count', order: 'desc' }, { column: 't.name' }]);
    },
  };
}

export type ElectionsRepository = ReturnType<typeof electionsRepository>;
