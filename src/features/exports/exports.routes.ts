import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import { ValidationError } from '../../lib/errors';
import type { Translate } from '../../lib/i18n';
import { parseListQuery } from '../claims/claims.schemas';
import type { ClaimsService } from '../claims/claims.service';
import type { PublicClaim } from '../claims/claims.types';
import type { TermRepository } from '../term/term.repository';
import { type Cell, csvRows } from './csv';
import type { ClaimLinks } from './exports.repository';

/**
 * The columns of /claims.csv, in order, each with how its cell is read from a claim: one list, so that a
 * column is added in one line (the header and the rows cannot disagree).
 */
const CSV_CELLS: readonly (readonly [
  string,
  (claim: PublicClaim, context: { baseUrl: string; t: Translate }) => Cell,
])[] = [
  ['slug', (c) => c.slug],
  ['url', (c, { baseUrl }) => `${baseUrl}/claims/${c.slug}`],
  ['kind', (c) => c.kind],
  ['status', (c) => c.status],
  ['status_label', (c, { t }) => t(`status.${c.status}`)],
  ['title', (c) => c.title],
  ['quote', (c) => c.quote],
  ['quote_is_paraphrase', (c) => c.quote_is_paraphrase],
  ['said_on', (c) => c.said_on],
  ['event', (c) => c.event_name],
  ['event_slug', (c) => c.event_slug],
  ['event_kind', (c) => c.event_kind],
  ['event_date', (c) => c.event_held_on],
  ['moment', (c) => c.moment],
  ['source_publisher', (c) => c.source_publisher],
  ['source_title', (c) => c.source_title],
  ['source_url', (c) => c.source_url],
  ['candidate_slug', (c) => c.candidate_slug],
  ['candidate', (c) => c.candidate_name],
  ['running_mate', (c) => c.candidate_running_mate],
  ['election_slug', (c) => c.election_slug],
  ['election', (c) => c.election_name],
  ['topics', (c) => c.topics.map((t) => t.name).join('; ')],
  ['agency', (c) => c.agency?.slug],
  ['agency_name', (c) => c.agency?.name],
  ['summary', (c) => c.summary],
  ['deadline', (c) => c.deadline],
  ['published_at', (c) => c.published_at?.toISOString()],
  ['updated_at', (c) => c.updated_at.toISOString()],
];

/**
 * Read per batch, after the claims' own cells: why a claim has its status (broken, stalled, compromise);
 * the claim it repeats and the claims that repeat it (slugs, `; ` between them); how many responses
 * (right of reply) it has, whose text is on its verdict page and in its API answer.
 */
const BATCH_COLUMNS = ['reason', 'reason_text', 'repeat_of', 'repeats', 'responses'];

export const CSV_COLUMNS = [...CSV_CELLS.map(([column]) => column), ...BATCH_COLUMNS];

/** /claims.csv: the published claims the same filters select on /claims, all of them, streamed in batches. */
export function exportsRoutes(deps: {
  claims: ClaimsService;
  baseUrl: string;
  /** Why each claim has its status, where it must say (broken, stalled, compromise). */
  reasons: TermRepository['currentReasons'];
  /** Each claim's repeat links and how many responses it has. */
  links: (claimIds: number[]) => Promise<Map<number, ClaimLinks>>;
}): Router {
  const router = Router();
  router.get('/claims.csv', async (req, res) => {
    const parsed = parseListQuery(req.query);
    if (!parsed.ok)
      throw new ValidationError(Object.fromEntries(parsed.invalid.map((name) => [name, 'invalid'])));
    if (answerIfFresh(req, res, await deps.claims.listFreshness())) return;
    const context = { baseUrl: deps.baseUrl, t: req.t };
    const rowsOf = async (batch: PublicClaim[]): Promise<Cell[][]> => {
      const ids = batch.map((c) => c.id);
      const [reasons, links] = await Promise.all([deps.reasons(ids), deps.links(ids)]);
      return batch.map((c) => {
        const reason = reasons.get(c.id);
        const link = links.get(c.id);
        return [
          ...CSV_CELLS.map(([, cell]) => cell(c, context)),
          reason?.reason_code,
          reason?.reason_text,
          link?.repeat_of,
          link?.repeats.join('; '),
          link?.responses ?? 0,
        ];
      });
    };
    // The first batch is read before anything is sent, so that a failing query still gets an error page.
    const batches = deps.claims.eachPublished(parsed.request.filters);
    const first = await batches.next();
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="kawal-janji-claims.csv"');
    res.write(csvRows([CSV_COLUMNS, ...(first.done ? [] : await rowsOf(first.value))]));
    for await (const batch of batches) {
      if (res.destroyed) return;
      res.write(csvRows(await rowsOf(batch)));
    }
    res.end();
  });
  return router;
}
