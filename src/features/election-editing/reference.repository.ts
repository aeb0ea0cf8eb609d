import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { Candidate, Election } from '../elections/elections.repository';
import { freeSlug, updateVersioned } from '../newsroom/versioned';

export interface Topic {
  id: number;
  slug: string;
  name: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface ElectionWithCandidates extends Election {
  candidates: Candidate[];
}

export type ElectionFields = Pick<
  Election,
  'name' | 'office' | 'region' | 'voting_day' | 'term_start' | 'term_end' | 'description'
>;
export type CandidateFields = Pick<
  Candidate,
  'name' | 'running_mate' | 'party' | 'is_incumbent' | 'ballot_number' | 'bio'
> & {
  /** The names the ticket goes by besides its own, for telling who speaks in a text. */
  aliases: string[];
};

/** Elections, candidates (tickets) and topics as the newsroom edits them. */
export function referenceRepository(db: Db) {
  return {
    async electionsWithCandidates(): Promise<ElectionWithCandidates[]> {
      const [elections, candidates] = await Promise.all([
        db<Election>('elections').orderBy([
          { column: 'voting_day', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]),
        db<Candidate>('candidates').orderBy([
          { column: 'ballot_number', order: 'asc', nulls: 'last' },
          { column: 'name' },
        ]),
      ]);
      return elections.map((e) => ({ ...e, candidates: candidates.filter((c) => c.election_id === e.id) }));
    },
    async findElection(id: number, trx: Knex = db): Promise<Election | undefined> {
      return trx<Election>('elections').where({ id }).first();
    },
    async findCandidate(id: number, trx: Knex = db): Promise<Candidate | undefined> {
      return trx<Candidate>('candidates').where({ id }).first();
    },
    async findTopic(id: number, trx: Knex = db): Promise<Topic | undefined> {
      return trx<Topic>('topics').where({ id }).first();
    },
    async topics(): Promise<Topic[]> {
      return db<Topic>('topics').orderBy('name');
    },
    async existingTopicIds(trx: Knex, ids: number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      const rows: { id: number }[] = await trx('topics').select('id').whereIn('id', ids);
      return rows.map((r) => r.id);
    },
    async findTopicsBySlugs(trx: Knex, slugs: string[]): Promise<Topic[]> {
      if (slugs.length === 0) return [];
      return trx<Topic>('topics').whereIn('slug', slugs);
    },
    async findElectionByRef(trx: Knex, ref: string): Promise<Election | undefined> {
      return /^\d{1,9}$/.test(ref)
        ? trx<Election>('elections')
            .where({ id: Number(ref) })
            .first()
        : trx<Election>('elections').where({ slug: ref }).first();
    },
    async findCandidateByRef(trx: Knex, ref: string): Promise<Candidate | undefined> {
      return /^\d{1,9}$/.test(ref)
        ? trx<Candidate>('candidates')
            .where({ id: Number(ref) })
            .first()
        : trx<Candidate>('candidates').where({ slug: ref }).first();
    },

    async insertElection(trx: Knex, fields: ElectionFields, slugBase: string): Promise<Election> {
      const slug = await freeSlug(trx, 'elections', slugBase);
      const [row] = await trx<Election>('elections')
        .insert({ ...fields, slug })
        .returning('*');
      return row as Election;
    },
    updateElection(trx: Knex, id: number, version: number, fields: ElectionFields) {
      return updateVersioned<Election>(trx, 'elections', id, version, fields);
    },
    async insertCandidate(
      trx: Knex,
      fields: CandidateFields & { election_id: number },
      slugBase: string,
    ): Promise<Candidate> {
      const slug = await freeSlug(trx, 'candidates', slugBase);
      const [row] = await trx<Candidate>('candidates')
        .insert({ ...fields, slug })
        .returning('*');
      return row as Candidate;
    },
    updateCandidate(trx: Knex, id: number, version: number, fields: CandidateFields) {
      return updateVersioned<Candidate>(trx, 'candidates', id, version, fields);
    },
    async insertTopic(trx: Knex, name: string, slugBase: string): Promise<Topic> {
      const slug = await freeSlug(trx, 'topics', slugBase);
      const [row] = await trx<Topic>('topics').insert({ name, slug }).returning('*');
      return row as Topic;
    },
    updateTopic(trx: Knex, id: number, version: number, name: string) {
      return updateVersioned<Topic>(trx, 'topics', id, version, { name });
    },
  };
}

export type ReferenceRepository = ReturnType<typeof referenceRepository>;
