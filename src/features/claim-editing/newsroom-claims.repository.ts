import type { Knex } from 'knex';
import type { Db } from '../../db';
import { CLAIM_COLUMNS } from '../claims/claim-columns';
import type { Claim } from '../claims/claims.types';
import { freeSlug, updateVersioned } from '../newsroom/versioned';

/** A claim as the newsroom works on it: with who said it, where, its topics and who logged it. */
export interface NewsroomClaim extends Claim {
  candidate_name: string;
  candidate_running_mate: string | null;
  election_name: string;
  /** The name of the event the claim points at. */
  event_name: string | null;
  creator_name: string | null;
  topic_ids: number[];
}

export type ClaimRow = Claim;

const PREFIXED = CLAIM_COLUMNS.map((c) => `c.${c}`);
/** The name of the event the claim `c` points at (the event row is what every page reads). */
const EVENT_NAME = '(SELECT ev.name FROM events ev WHERE ev.id = c.event_id)';

export interface ClaimListFilters {
  state?: string | undefined;
  electionId?: number | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** The claim's own columns (what is audited), without the generated search vector. */
export type ClaimChanges = Partial<Omit<Claim, 'id' | 'version' | 'created_at' | 'updated_at'>>;

/** Changes as stored: with the explanation's HTML whenever the explanation is written (the service renders it). */
export type StoredClaimChanges = ClaimChanges & { explanation_html?: string | null };

export function newsroomClaimsRepository(db: Db) {
  function withContext(q: Knex = db) {
    return q('claims as c')
      .join('candidates as k', 'k.id', 'c.candidate_id')
      .join('elections as e', 'e.id', 'c.election_id')
      .leftJoin('users as u', 'u.id', 'c.created_by')
      .select(PREFIXED)
      .select({
        candidate_name: 'k.name',
        candidate_running_mate: 'k.running_mate',
        election_name: 'e.name',
        event_name: q.raw(EVENT_NAME),
        creator_name: 'u.display_name',
        topic_ids: q.raw(
          "coalesce((SELECT array_agg(ct.topic_id ORDER BY ct.topic_id) FROM claim_topics ct WHERE ct.claim_id = c.id), '{}')",
        ),
      });
  }

  return {
    async find(id: number): Promise<NewsroomClaim | undefined> {
      return withContext().where('c.id', id).first();
    },

    /** The claim row, locked until the transaction ends (so two saves do not interleave). */
    async lock(trx: Knex, id: number): Promise<Claim | undefined> {
      return trx('claims').select(CLAIM_COLUMNS).where({ id }).forUpdate().first();
    },

    async topicIds(trx: Knex, claimId: number): Promise<number[]> {
      const rows: { topic_id: number }[] = await trx('claim_topics')
        .select('topic_id')
        .where({ claim_id: claimId })
        .orderBy('topic_id');
      return rows.map((r) => r.topic_id);
    },

    async insert(trx: Knex, row: StoredClaimChanges & { slug: string }): Promise<Claim> {
      const [claim] = await trx('claims').insert(row).returning(CLAIM_COLUMNS);
      return claim as Claim;
    },

    /** Applies changes if the claim still has `version`; undefined when someone saved first. */
    update(trx: Knex, id: number, version: number, changes: StoredClaimChanges): Promise<Claim | undefined> {
      return updateVersioned<Claim>(trx, 'claims', id, version, changes, CLAIM_COLUMNS);
    },

    async setTopics(trx: Knex, claimId: number, topicIds: number[]): Promise<void> {
      await trx('claim_topics').where({ claim_id: claimId }).delete();
      if (topicIds.length > 0) {
        await trx('claim_topics').insert(topicIds.map((topic_id) => ({ claim_id: claimId, topic_id })));
      }
    },

    freeSlug(trx: Knex, base: string): Promise<string> {
      return freeSlug(trx, 'claims', base);
    },

    async candidateElection(trx: Knex, candidateId: number): Promise<number | undefined> {
      const row: { election_id: number } | undefined = await trx('candidates')
        .select('election_id')
        .where({ id: candidateId })
        .first();
      return row?.election_id;
    },

    async insertCorrection(
      trx: Knex,
      correction: {
        claim_id: number;
        kind: 'verdict_changed' | 'retracted' | 'edited';
        note: string;
        created_by: number;
      },
    ): Promise<{ id: number }> {
      const [row] = await trx('corrections')
        .insert(correction)
        .returning(['id', 'claim_id', 'kind', 'note', 'created_at']);
      return row as { id: number };
    },

    /** Every claim the newsroom sees (all workflow states), newest change first, filtered. */
    async list(filters: ClaimListFilters): Promise<NewsroomClaim[]> {
      const q = withContext();
      if (filters.state) q.where('c.workflow_state', filters.state);
      if (filters.electionId !== undefined) q.where('c.election_id', filters.electionId);
      if (filters.q) {
        const like = `%${filters.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        q.where((w) =>
          w.whereILike('c.title', like).orWhereILike('c.quote', like).orWhereILike('c.slug', like),
        );
      }
      return q
        .orderBy([
          { column: 'c.updated_at', order: 'desc' },
          { column: 'c.id', order: 'desc' },
        ])
        .limit(filters.limit)
        .offset(filters.offset);
    },

    async draftsBy(userId: number, limit: number): Promise<NewsroomClaim[]> {
      return withContext()
        .where({ 'c.created_by': userId, 'c.workflow_state': 'draft' })
        .orderBy('c.updated_at', 'desc')
        .limit(limit);
    },

    async inReview(limit: number): Promise<NewsroomClaim[]> {
      return withContext().where('c.workflow_state', 'in_review').orderBy('c.updated_at', 'asc').limit(limit);
    },

    async recentlyChanged(limit: number): Promise<NewsroomClaim[]> {
      return withContext()
        .orderBy([
          { column: 'c.updated_at', order: 'desc' },
          { column: 'c.id', order: 'desc' },
        ])
        .limit(limit);
    },

    /** Promises whose deadline has passed while their status is still not a final rating. */
    async overdue(today: string, notFinal: readonly string[], limit: number): Promise<NewsroomClaim[]> {
      return withContext()
        .where('c.kind', 'promise')
        .where('c.deadline', '<', today)
        .whereIn('c.status', notFinal)
        .whereNot('c.workflow_state', 'retracted')
        .orderBy('c.deadline', 'asc')
        .limit(limit);
    },

    /** Claims still without a final rating that nobody has touched since `before`. */
    async stale(before: Date, notFinal: readonly string[], limit: number): Promise<NewsroomClaim[]> {
      return withContext()
        .where('c.updated_at', '<', before)
        .whereIn('c.status', notFinal)
        .whereNot('c.workflow_state', 'retracted')
        .orderBy('c.updated_at', 'asc')
        .limit(limit);
    },

    /** Every claim with its names, for the CSV export, oldest first. */
    async exportRows(): Promise<(Claim & Record<string, unknown>)[]> {
      return db('claims as c')
        .join('candidates as k', 'k.id', 'c.candidate_id')
        .join('elections as e', 'e.id', 'c.election_id')
        .select(PREFIXED)
        .select({
          election_slug: 'e.slug',
          candidate_slug: 'k.slug',
          candidate_name: 'k.name',
          agency_slug: db.raw('(SELECT a.slug FROM agencies a WHERE a.id = c.agency_id)'),
          event_name: db.raw(EVENT_NAME),
          topic_slugs: db.raw(
            "coalesce((SELECT string_agg(t.slug, ';' ORDER BY t.slug) FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id WHERE ct.claim_id = c.id), '')",
          ),
          evidence_count: db.raw(
            '(SELECT count(*) FROM evidence ev WHERE ev.claim_id = c.id AND ev.removed_at IS NULL)',
          ),
        })
        .orderBy('c.id', 'asc');
    },
  };
}

export type NewsroomClaimsRepository = ReturnType<typeof newsroomClaimsRepository>;
