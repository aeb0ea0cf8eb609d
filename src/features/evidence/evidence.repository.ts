import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { EvidenceStance } from '../claims/scales';
import { updateVersioned } from '../newsroom/versioned';
import type { EvidenceContentField } from './evidence-columns';

export interface Evidence {
  id: number;
  claim_id: number;
  url: string;
  title: string;
  publisher: string | null;
  published_on: string | null;
  archive_url: string | null;
  excerpt: string | null;
  stance: EvidenceStance;
  added_by: number | null;
  created_at: Date;
  removed_at: Date | null;
  removed_by: number | null;
  removal_reason: string | null;
  version: number;
  updated_at: Date;
}

export interface EvidenceListItem extends Evidence {
  adder_name: string | null;
  remover_name: string | null;
  /** How many status updates rest on it, and how many of those are approved. */
  used_by_updates: number;
  used_by_approved: number;
}

export type EvidenceFields = Pick<Evidence, EvidenceContentField>;

export function evidenceRepository(db: Db) {
  function listQuery(q: Knex = db) {
    return q('evidence as ev')
      .leftJoin('users as a', 'a.id', 'ev.added_by')
      .leftJoin('users as r', 'r.id', 'ev.removed_by')
      .select('ev.*', { adder_name: 'a.display_name', remover_name: 'r.display_name' })
      .select({
        used_by_updates: q.raw(
          '(SELECT count(*) FROM status_update_evidence sue WHERE sue.evidence_id = ev.id)',
        ),
        used_by_approved: q.raw(
          `(SELECT count(*) FROM status_update_evidence sue
             JOIN status_reviews sr ON sr.status_update_id = sue.status_update_id AND sr.decision = 'approved'
            WHERE sue.evidence_id = ev.id)`,
        ),
      });
  }

  return {
    /** All of a claim's evidence, removed pieces included (the newsroom sees what was hidden, and why). */
    async listForClaim(claimId: number): Promise<EvidenceListItem[]> {
      return listQuery()
        .where('ev.claim_id', claimId)
        .orderBy([{ column: 'ev.removed_at', order: 'desc', nulls: 'first' }, { column: 'ev.id' }]);
    },
    async find(id: number, trx: Knex = db): Promise<EvidenceListItem | undefined> {
      return listQuery(trx).where('ev.id', id).first();
    },
    async lock(trx: Knex, id: number): Promise<Evidence | undefined> {
      return trx<Evidence>('evidence').where({ id }).forUpdate().first();
    },
    async insert(trx: Knex, row: EvidenceFields & { claim_id: number; added_by: number }): Promise<Evidence> {
      const [evidence] = await trx<Evidence>('evidence').insert(row).returning('*');
      return evidence as Evidence;
    },
    update(trx: Knex, id: number, version: number, fields: EvidenceFields): Promise<Evidence | undefined> {
      return updateVersioned<Evidence>(trx, 'evidence', id, version, fields);
    },
    async remove(
      trx: Knex,
      id: number,
      removal: { removed_by: number; removal_reason: string },
    ): Promise<Evidence> {
      const [row] = await trx<Evidence>('evidence')
        .where({ id })
        .update({
          ...removal,
          removed_at: trx.fn.now(),
          version: trx.raw('version + 1'),
          updated_at: trx.fn.now(),
        } as never)
        .returning('*');
      return row as Evidence;
    },
    /** Every piece of evidence with its claim's slug, for the CSV export, oldest first. */
    async exportRows(): Promise<Record<string, unknown>[]> {
      return db('evidence as ev')
        .join('claims as c', 'c.id', 'ev.claim_id')
        .select('ev.*', { claim_slug: 'c.slug' })
        .orderBy('ev.id', 'asc');
    },
    /** The ids among `ids` that are this claim's and not removed. */
    async activeIdsOfClaim(trx: Knex, claimId: number, ids: number[]): Promise<number[]> {
      if (ids.length === 0) return [];
      const rows: { id: number }[] = await trx('evidence')
        .select('id')
        .where({ claim_id: claimId })
        .whereNull('removed_at')
        .whereIn('id', ids);
      return rows.map((r) => r.id);
    },
  };
}

export type EvidenceRepository = ReturnType<typeof evidenceRepository>;
