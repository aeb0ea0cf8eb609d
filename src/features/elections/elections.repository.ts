import type { Db } from '../../db';

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

export interface Candidate {
  id: number;
  election_id: number;
  slug: string;
  name: string;
  running_mate: string | null;
  party: string | null;
  is_incumbent: boolean;
  ballot_number: number | null;
  bio: string | null;
  version: number;
}

export function electionsRepository(db: Db) {
  return {
    /** Elections newest voting day first. */
    async list(): Promise<Election[]> {
      return db<Election>('elections')
        .select('*')
        .orderBy([
          { column: 'voting_day', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
    },
    async findBySlug(slug: string): Promise<Election | undefined> {
      return db<Election>('elections').where({ slug }).first();
    },
    async candidatesOf(electionIds: number[]): Promise<Candidate[]> {
      if (electionIds.length === 0) return [];
      return db<Candidate>('candidates')
        .whereIn('election_id', electionIds)
        .orderBy([{ column: 'ballot_number', order: 'asc', nulls: 'last' }, { column: 'name' }]);
    },
  };
}

export type ElectionsRepository = ReturnType<typeof electionsRepository>;
