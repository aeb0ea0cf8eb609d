import type { Knex } from 'knex';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | undefined;
}

export interface AuditRow {
  id: number;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  created_at: Date;
}

/** Writes the audit row of a write, inside the same transaction as the write itself. */
export async function recordAudit(trx: Knex.Transaction | Knex, entry: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    actor_id: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: entry.requestId ?? null,
  });
}

/** An audit row with the name of whoever made the change. */
export interface AuditListRow extends AuditRow {
  actor_name: string | null;
  actor_email: string | null;
}

export interface AuditFilters {
  entity?: string | undefined;
  entityId?: number | undefined;
  actorId?: number | undefined;
  action?: string | undefined;
  /** Keyset paging: rows with a smaller id than this. */
  beforeId?: number | undefined;
  limit: number;
}

/** One change to an entity since a version: who, when, and which fields it touched. */
export interface ChangeSince {
  actor_name: string | null;
  action: string;
  created_at: Date;
  fields: string[];
}

/** The names of the fields whose values differ between two snapshots (ignoring bookkeeping). */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  const ignored = new Set(['version', 'updated_at', 'created_at']);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => !ignored.has(key) && JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

export function auditRepository(db: Knex) {
  function withActor(q: Knex = db) {
    return q('audit_log as a')
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .select('a.*', { actor_name: 'u.display_name', actor_email: 'u.email' });
  }

  return {
    /** The log, newest first, filtered; one page at a time by id. */
    async list(filters: AuditFilters): Promise<AuditListRow[]> {
      const q = withActor();
      if (filters.entity) q.where('a.entity', filters.entity);
      if (filters.entityId !== undefined) q.where('a.entity_id', filters.entityId);
      if (filters.actorId !== undefined) q.where('a.actor_id', filters.actorId);
      if (filters.action) q.where('a.action', filters.action);
      if (filters.beforeId !== undefined) q.where('a.id', '<', filters.beforeId);
      return q.orderBy('a.id', 'desc').limit(filters.limit);
    },

    /** Everything that happened to a claim, its evidence and its status updates, oldest first. */
    async forClaim(claimId: number): Promise<AuditListRow[]> {
      return withActor()
        .where((w) => {
          w.where({ 'a.entity': 'claim', 'a.entity_id': claimId })
            .orWhere((e) =>
              e
                .where('a.entity', 'evidence')
                .whereIn('a.entity_id', db('evidence').select('id').where({ claim_id: claimId })),
            )
            .orWhere((s) =>
              s
                .where('a.entity', 'status_update')
                .whereIn('a.entity_id', db('status_updates').select('id').where({ claim_id: claimId })),
            );
        })
        .orderBy('a.id', 'asc');
    },

    /** The changes made to a record after the given version (by its audit rows' `after.version`). */
    async changesSince(trx: Knex, entity: string, entityId: number, version: number): Promise<ChangeSince[]> {
      const rows: AuditListRow[] = await withActor(trx)
        .where({ 'a.entity': entity, 'a.entity_id': entityId })
        .whereRaw("(a.after->>'version')::int > ?", [version])
        .orderBy('a.id', 'asc');
      return rows.map((row) => ({
        actor_name: row.actor_name,
        action: row.action,
        created_at: row.created_at,
        fields: changedFields(row.before, row.after),
      }));
    },

    /** The distinct actions in the log, for the audit page's filter. */
    async actions(): Promise<string[]> {
      const rows: { action: string }[] = await db('audit_log').distinct('action').orderBy('action');
      return rows.map((r) => r.action);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
