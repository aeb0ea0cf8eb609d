import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { slugify } from '../../lib/slug';
import { parseOrThrow } from '../../lib/validation';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import type { Candidate, Election } from '../elections/elections.repository';
import { staleVersionError } from '../newsroom/stale';
import type { Actor } from '../users/accounts';
import type { ReferenceRepository, Topic } from './reference.repository';
import {
  CANDIDATE_FIELDS,
  candidateEditSchema,
  candidateSchema,
  ELECTION_FIELDS,
  electionEditSchema,
  electionSchema,
  TOPIC_FIELDS,
  topicEditSchema,
  topicSchema,
} from './reference.schemas';

/** Elections, candidates (tickets) and topics: the newsroom's reference data, public as soon as saved. */
export function referenceService(deps: { db: Knex; reference: ReferenceRepository; audit: AuditRepository }) {
  const { db, reference, audit } = deps;

  function audited(
    trx: Knex,
    actor: Actor,
    action: string,
    entity: string,
    id: number,
    before: unknown,
    after: unknown,
  ) {
    return recordAudit(trx, {
      actorId: actor.id,
      action,
      entity,
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
  }

  async function ballotNumberFree(trx: Knex, electionId: number, ballot: number | null, exceptId?: number) {
    if (ballot === null) return;
    const q = trx('candidates').where({ election_id: electionId, ballot_number: ballot });
    if (exceptId !== undefined) q.whereNot({ id: exceptId });
    if (await q.first()) throw new ValidationError({ ballot_number: 'ballot_number_taken' });
  }

  async function topicNameFree(trx: Knex, name: string, exceptId?: number) {
    const q = trx('topics').whereRaw('lower(name) = lower(?)', [name]);
    if (exceptId !== undefined) q.whereNot({ id: exceptId });
    if (await q.first()) throw new ValidationError({ name: 'topic_exists' });
  }

  return {
    electionsWithCandidates: () => reference.electionsWithCandidates(),
    topics: () => reference.topics(),

    async election(id: number): Promise<Election> {
      const election = await reference.findElection(id);
      if (!election) throw new NotFoundError();
      return election;
    },
    async candidate(id: number): Promise<Candidate & { election: Election }> {
      const candidate = await reference.findCandidate(id);
      if (!candidate) throw new NotFoundError();
      const election = (await reference.findElection(candidate.election_id))!;
      return { ...candidate, election };
    },
    async topic(id: number): Promise<Topic> {
      const topic = await reference.findTopic(id);
      if (!topic) throw new NotFoundError();
      return topic;
    },

    async createElection(input: unknown, actor: Actor): Promise<Election> {
      const fields = parseOrThrow(electionSchema, input);
      return db.transaction(async (trx) => {
        const election = await reference.insertElection(trx, fields, slugify(fields.name, 70) || 'pemilihan');
        await audited(trx, actor, 'election.create', 'election', election.id, undefined, election);
        return election;
      });
    },

    async updateElection(id: number, input: unknown, actor: Actor): Promise<Election> {
      const { version, ...fields } = parseOrThrow(electionEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await reference.findElection(id, trx);
        if (!before) throw new NotFoundError();
        const after = await reference.updateElection(trx, id, version, fields);
        if (!after) throw await staleVersionError(trx, audit, 'election', before, version, ELECTION_FIELDS);
        await audited(trx, actor, 'election.update', 'election', id, before, after);
        return after;
      });
    },

    async createCandidate(electionId: number, input: unknown, actor: Actor): Promise<Candidate> {
      const fields = parseOrThrow(candidateSchema, input);
      return db.transaction(async (trx) => {
        const election = await reference.findElection(electionId, trx);
        if (!election) throw new NotFoundError();
        await ballotNumberFree(trx, electionId, fields.ballot_number);
        const candidate = await reference.insertCandidate(
          trx,
          { ...fields, election_id: electionId },
          slugify(fields.name, 70) || 'kandidat',
        );
        await audited(trx, actor, 'candidate.create', 'candidate', candidate.id, undefined, candidate);
        return candidate;
      });
    },

    async updateCandidate(id: number, input: unknown, actor: Actor): Promise<Candidate> {
      const { version, ...fields } = parseOrThrow(candidateEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await reference.findCandidate(id, trx);
        if (!before) throw new NotFoundError();
        if (before.version !== version) {
          throw await staleVersionError(trx, audit, 'candidate', before, version, CANDIDATE_FIELDS);
        }
        await ballotNumberFree(trx, before.election_id, fields.ballot_number, id);
        const after = await reference.updateCandidate(trx, id, version, fields);
        if (!after) throw await staleVersionError(trx, audit, 'candidate', before, version, CANDIDATE_FIELDS);
        await audited(trx, actor, 'candidate.update', 'candidate', id, before, after);
        return after;
      });
    },

    async createTopic(input: unknown, actor: Actor): Promise<Topic> {
      const { name } = parseOrThrow(topicSchema, input);
      return db.transaction(async (trx) => {
        await topicNameFree(trx, name);
        const topic = await reference.insertTopic(trx, name, slugify(name, 60) || 'topik');
        await audited(trx, actor, 'topic.create', 'topic', topic.id, undefined, topic);
        return topic;
      });
    },

    async updateTopic(id: number, input: unknown, actor: Actor): Promise<Topic> {
      const { name, version } = parseOrThrow(topicEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await reference.findTopic(id, trx);
        if (!before) throw new NotFoundError();
        if (before.version !== version) {
          throw await staleVersionError(trx, audit, 'topic', before, version, TOPIC_FIELDS);
        }
        await topicNameFree(trx, name, id);
        const after = await reference.updateTopic(trx, id, version, name);
        if (!after) throw await staleVersionError(trx, audit, 'topic', before, version, TOPIC_FIELDS);
        await audited(trx, actor, 'topic.update', 'topic', id, before, after);
        return after;
      });
    },
  };
}

export type ReferenceService = ReturnType<typeof referenceService>;
