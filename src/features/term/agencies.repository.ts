import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { ClaimStatus } from '../claims/scales';
import { updateVersioned } from '../newsroom/versioned';

/** An agency (OPD: dinas, badan, kantor) of the government an election is for. */
export interface Agency {
  id: number;
  election_id: number;
  slug: string;
  name: string;
  short_name: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type AgencyFields = Pick<Agency, 'name' | 'short_name'>;

/** Published promises of an election counted by agency and status (agency null: none named). */
export interface AgencyStatusCount {
  agency_id: number | null;
  status: ClaimStatus;
  count: number;
}

/** The first slug among `base`, `base-2`… that no row of `table` has within `scope`. */
export async function freeScopedSlug(
  trx: Knex,
  table: string,
  scope: Record<string, number>,
  base: string,
): Promise<string> {
  const rows: { slug: string }[] = await trx(table)
    .select('slug')
    .where(scope)
    .andWhere((q) => q.where('slug', base).orWhereRaw('slug ~ ?', [`^${base}-[0-9]+$`]));
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function agenciesRepository(db: Db) {
  return {
    /** Every agency of every election, by election then name (the claim form's choice). */
    async all(): Promise<Agency[]> {
      return db<Agency>('agencies').orderBy([{ column: 'election_id' }, { column: 'name' }]);
    },
    async ofElection(electionId: number, trx: Knex = db): Promise<Agency[]> {
      return trx<Agency>('agencies').where({ election_id: electionId }).orderBy('name');
    },
    async find(id: number, trx: Knex = db): Promise<Agency | undefined> {
      return trx<Agency>('agencies').where({ id }).first();
    },
    async findBySlug(electionId: number, slug: string): Promise<Agency | undefined> {
      return db<Agency>('agencies').where({ election_id: electionId, slug }).first();
    },
    /** An agency of this election by its slug, short name, name (any case) or id: what an import names. */
    async findByRef(trx: Knex, electionId: number, ref: string): Promise<Agency | undefined> {
      const q = trx<Agency>('agencies').where({ election_id: electionId });
      if (/^\d{1,9}$/.test(ref)) return q.where({ id: Number(ref) }).first();
      return q
        .where((w) =>
          w
            .where('slug', ref.toLowerCase())
            .orWhereRaw('lower(short_name) = lower(?)', [ref])
            .orWhereRaw('lower(name) = lower(?)', [ref]),
        )
        .orderBy('id')
        .first();
    },
    async nameTaken(trx: Knex, electionId: number, name: string, exceptId?: number): Promise<boolean> {
      const q = trx('agencies').where({ election_id: electionId }).whereRaw('lower(name) = lower(?)', [name]);
      if (exceptId !== undefined) q.whereNot({ id: exceptId });
      return Boolean(await q.first());
    },
    async insert(trx: Knex, electionId: number, fields: AgencyFields, slugBase: string): Promise<Agency> {
      const slug = await freeScopedSlug(trx, 'agencies', { election_id: electionId }, slugBase);
      const [row] = await trx<Agency>('agencies')
        .insert({ ...fields, election_id: electionId, slug })
        .returning('*');
      return row as Agency;
    },
    update(trx: Knex, id: number, version: number, fields: AgencyFields) {
      return updateVersioned<Agency>(trx, 'agencies', id, version, fields);
    },
    /** Every agency's page (the sitemap). */
    async pages(): Promise<{ election_slug: string; slug: string; updated_at: Date }[]> {
      return db('agencies as a')
        .join('elections as e', 'e.id', 'a.election_id')
        .select({ election_slug: 'e.slug', slug: 'a.slug', updated_at: 'a.updated_at' })
        .orderBy('a.id');
    },
  };
}

export type AgenciesRepository = ReturnType<typeof agenciesRepository>;
