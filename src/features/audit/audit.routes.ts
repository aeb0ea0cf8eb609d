import { Router } from 'express';
import { requireRole } from '../../http/auth';
import { type AuditRepository, changedFields } from './audit.repository';

const PAGE_SIZE = 100;
const ENTITIES = [
  'claim',
  'evidence',
  'status_update',
  'election',
  'candidate',
  'topic',
  'user',
  'tip',
] as const;

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : undefined;
}

/** An id of an integer column (entity and actor ids): past PostgreSQL's integer range, no filter. */
function integerId(value: unknown): number | undefined {
  const n = positiveInt(value);
  return n !== undefined && n <= 2_147_483_647 ? n : undefined;
}

/** The audit log for admins: every write, newest first, filterable, paged by id. */
export function auditRoutes(deps: { audit: AuditRepository }): Router {
  const router = Router();
  router.get('/newsroom/audit', requireRole('admin'), async (req, res) => {
    const entity =
      typeof req.query.entity === 'string' && (ENTITIES as readonly string[]).includes(req.query.entity)
        ? req.query.entity
        : undefined;
    const action =
      typeof req.query.action === 'string' && /^[a-z_.]{1,60}$/.test(req.query.action)
        ? req.query.action
        : undefined;
    const filters = {
      entity,
      entityId: integerId(req.query.entity_id),
      actorId: integerId(req.query.actor),
      action,
      beforeId: positiveInt(req.query.before),
    };
    const [rows, actions] = await Promise.all([
      deps.audit.list({ ...filters, limit: PAGE_SIZE + 1 }),
      deps.audit.actions(),
    ]);
    const page = rows.slice(0, PAGE_SIZE);
    const next = rows.length > PAGE_SIZE ? page[page.length - 1]?.id : undefined;
    const query = new URLSearchParams();
    if (filters.entity) query.set('entity', filters.entity);
    if (filters.entityId !== undefined) query.set('entity_id', String(filters.entityId));
    if (filters.actorId !== undefined) query.set('actor', String(filters.actorId));
    if (filters.action) query.set('action', filters.action);
    if (next !== undefined) query.set('before', String(next));
    res.render('newsroom/audit', {
      title: req.t('newsroom.audit.title'),
      entries: page.map((row) => ({
        id: row.id,
        created_at: row.created_at,
        actor_name: row.actor_name,
        actor_email: row.actor_email,
        action: row.action,
        entity: row.entity,
        entity_id: row.entity_id,
        request_id: row.request_id,
        fields: row.before ? changedFields(row.before, row.after) : Object.keys((row.after ?? {}) as object),
      })),
      entities: ENTITIES,
      actions,
      filter: {
        entity: filters.entity ?? '',
        entity_id: filters.entityId === undefined ? '' : String(filters.entityId),
        actor: filters.actorId === undefined ? '' : String(filters.actorId),
        action: filters.action ?? '',
      },
      nextUrl: next === undefined ? undefined : `/newsroom/audit?${query.toString()}`,
    });
  });
  return router;
}
