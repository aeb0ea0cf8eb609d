import type { Knex } from 'knex';
import type { Lang } from '../../lib/i18n';
import type { TipKind } from './tips.schemas';

export const TIP_STATES = ['new', 'drafted', 'evidence', 'dismissed'] as const;
export type TipState = (typeof TIP_STATES)[number];

export interface NewTip {
  kind: TipKind;
  claim_id: number | null;
  quote: string | null;
  speaker: string | null;
  said_on: string | null;
  where_said: string | null;
  url: string | null;
  note: string | null;
  lang: Lang;
  fingerprint: string;
  ip_hash: string;
}

export interface Tip extends Omit<NewTip, 'ip_hash' | 'fingerprint'> {
  id: number;
  state: TipState;
  received_count: number;
  dismiss_reason: string | null;
  handled_by: number | null;
  handled_at: Date | null;
  result_claim_id: number | null;
  result_evidence_id: number | null;
  created_at: Date;
  last_received_at: Date;
}

/** A tip as the newsroom's queue shows it. */
export interface TipView extends Tip {
  claim_slug: string | null;
  claim_label: string | null;
  handler_name: string | null;
  /** Someone who sent it left an email (confirmed or not): they may hear what came of it. */
  followers: number;
}

const TIP_COLUMNS = [
  't.id',
  't.kind',
  't.claim_id',
  't.quote',
  't.speaker',
  't.said_on',
  't.where_said',
  't.url',
  't.note',
  't.lang',
  't.state',
  't.received_count',
  't.dismiss_reason',
  't.handled_by',
  't.handled_at',
  't.result_claim_id',
  't.result_evidence_id',
  't.created_at',
  't.last_received_at',
];

/** What the audit log keeps of a tip: its handling, never the reader's text (deleted on request). */
export function auditedTip(
  tip: Pick<Tip, 'id' | 'kind' | 'state' | 'dismiss_reason' | 'result_claim_id' | 'result_evidence_id'>,
) {
  const { id, kind, state, dismiss_reason, result_claim_id, result_evidence_id } = tip;
  return { id, kind, state, dismiss_reason, result_claim_id, result_evidence_id };
}

export function tipsRepository(db: Knex) {
  function view(trx: Knex) {
    return trx('tips as t')
      .leftJoin('claims as c', 'c.id', 't.claim_id')
      .leftJoin('users as u', 'u.id', 't.handled_by')
      .select(
        ...TIP_COLUMNS,
        'c.slug as claim_slug',
        trx.raw('coalesce(c.title, left(c.quote, 140)) AS claim_label'),
        'u.display_name as handler_name',
        trx.raw('(SELECT count(*)::int FROM follows f WHERE f.tip_id = t.id) AS followers'),
      );
  }

  return {
    /**
     * Stores a tip, or merges it into the identical one still waiting in the queue (same fingerprint):
     * that one counts one more arrival. Returns the tip's id either way.
     */
    async receive(trx: Knex, tip: NewTip): Promise<{ id: number; merged: boolean }> {
      const [row] = (await trx('tips')
        .insert(tip)
        .onConflict(trx.raw("(fingerprint) WHERE state = 'new'"))
        .merge({ received_count: trx.raw('tips.received_count + 1'), last_received_at: trx.fn.now() })
        .returning(['id', 'received_count'])) as { id: number; received_count: number }[];
      return { id: row!.id, merged: row!.received_count > 1 };
    },

    /** The queue: tips in one state, the most recently received first. */
    async list(state: TipState, limit: number, offset: number): Promise<TipView[]> {
      return view(db)
        .where('t.state', state)
        .orderBy([
          { column: 't.last_received_at', order: 'desc' },
          { column: 't.id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset);
    },

    async counts(): Promise<Record<TipState, number>> {
      const rows: { state: TipState; count: number }[] = await db('tips')
        .select('state')
        .count({ count: '*' })
        .groupBy('state');
      const counts = { new: 0, drafted: 0, evidence: 0, dismissed: 0 };
      for (const row of rows) counts[row.state] = Number(row.count);
      return counts;
    },

    async find(id: number, trx: Knex = db): Promise<TipView | undefined> {
      return view(trx).where('t.id', id).first();
    },

    /** The tip, locked for its handling in the caller's transaction. */
    async lock(trx: Knex, id: number): Promise<Tip | undefined> {
      return trx('tips as t')
        .where('t.id', id)
        .forUpdate()
        .first(...TIP_COLUMNS);
    },

    async handle(
      trx: Knex,
      id: number,
      changes: Pick<Tip, 'state' | 'handled_by'> &
        Partial<Pick<Tip, 'dismiss_reason' | 'result_claim_id' | 'result_evidence_id'>>,
    ): Promise<Tip> {
      const [row] = await trx('tips')
        .where({ id, state: 'new' })
        .update({ ...changes, handled_at: trx.fn.now() })
        .returning(TIP_COLUMNS.map((c) => c.slice(2)));
      return row as Tip;
    },

    /** The candidate whose name (or running mate's) is the speaker's, when exactly one is. */
    async candidateNamed(speaker: string): Promise<{ id: number; election_id: number } | undefined> {
      const rows: { id: number; election_id: number }[] = await db('candidates')
        .whereRaw('lower(name) = lower(?)', [speaker])
        .orWhereRaw('lower(running_mate) = lower(?)', [speaker])
        .select('id', 'election_id')
        .limit(2);
      return rows.length === 1 ? rows[0] : undefined;
    },

    async delete(trx: Knex, id: number): Promise<number> {
      return trx('tips').where({ id }).delete();
    },
  };
}

export type TipsRepository = ReturnType<typeof tipsRepository>;
