import type { Db } from '../../db';
import type { Candidate } from '../elections/elections.repository';
import { CURRENT_PHOTOS_SQL } from '../photos/photos.repository';

export interface PublicCandidate extends Candidate {
  election_slug: string;
  election_name: string;
  election_office: string;
  election_voting_day: string;
}

export function candidatesRepository(db: Db) {
  return {
    /** A candidate (or ticket) with the election they stand in. */
    async findBySlug(slug: string): Promise<PublicCandidate | undefined> {
      return db('candidates as k')
        .join('elections as e', 'e.id', 'k.election_id')
        .where('k.slug', slug)
        .select('k.*', {
          election_slug: 'e.slug',
          election_name: 'e.name',
          election_office: 'e.office',
          election_voting_day: 'e.voting_day',
          photos: db.raw(CURRENT_PHOTOS_SQL),
        })
        .first();
    },
  };
}

export type CandidatesRepository = ReturnType<typeof candidatesRepository>;
