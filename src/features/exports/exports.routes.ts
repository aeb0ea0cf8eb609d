import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import { ValidationError } from '../../lib/errors';
import { parseListQuery } from '../claims/claims.schemas';
import type { ClaimsService } from '../claims/claims.service';
import type { PublicClaim } from '../claims/claims.types';
import { csvRows } from './csv';

export const CSV_COLUMNS = [
  'slug',
  'url',
  'kind',
  'status',
  'status_label',
  'title',
  'quote',
  'quote_is_paraphrase',
  'said_on',
  'event',
  'source_publisher',
  'source_title',
  'source_url',
  'candidate_slug',
  'candidate',
  'running_mate',
  'election_slug',
  'election',
  'topics',
  'summary',
  'deadline',
  'published_at',
  'updated_at',
] as const;

/** /claims.csv: the published claims the same filters select on /claims, all of them, streamed in batches. */
export function exportsRoutes(deps: { claims: ClaimsService; baseUrl: string }): Router {
  const router = Router();
  router.get('/claims.csv', async (req, res) => {
    const parsed = parseListQuery(req.query);
    if (!parsed.ok)
      throw new ValidationError(Object.fromEntries(parsed.invalid.map((name) => [name, 'invalid'])));
    if (answerIfFresh(req, res, await deps.claims.listFreshness())) return;
    const row = (c: PublicClaim) => [
      c.slug,
      `${deps.baseUrl}/claims/${c.slug}`,
      c.kind,
      c.status,
      req.t(`status.${c.status}`),
      c.title,
      c.quote,
      c.quote_is_paraphrase,
      c.said_on,
      c.event,
      c.source_publisher,
      c.source_title,
      c.source_url,
      c.candidate_slug,
      c.candidate_name,
      c.candidate_running_mate,
      c.election_slug,
      c.election_name,
      c.topics.map((t) => t.name).join('; '),
      c.summary,
      c.deadline,
      c.published_at?.toISOString(),
      c.updated_at.toISOString(),
    ];
    // The first batch is read before anything is sent, so that a failing query still gets an error page.
    const batches = deps.claims.eachPublished(parsed.request.filters);
    const first = await batches.next();
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="kawal-janji-claims.csv"');
    res.write(csvRows([CSV_COLUMNS, ...(first.done ? [] : first.value.map(row))]));
    for await (const batch of batches) {
      if (res.destroyed) return;
      res.write(csvRows(batch.map(row)));
    }
    res.end();
  });
  return router;
}
