import { type NextFunction, type Request, type Response, Router } from 'express';
import { answerIfFresh, isRevalidation } from '../../http/cache';
import { ValidationError } from '../../lib/errors';
import { DEFAULT_PAGE_SIZE, listParams, parseListQuery, withQuery } from '../claims/claims.schemas';
import type { ClaimsService } from '../claims/claims.service';
import type { ElectionsService } from '../elections/elections.service';
import { claimDetailJson, claimJson, electionJson } from './api.presenters';

/** Read-only and open to every origin: anyone may reuse the data from a browser. */
function openCors(req: Request, res: Response, next: NextFunction) {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Link');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Accept, Accept-Language, If-None-Match, If-Modified-Since',
    );
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
    return;
  }
  next();
}

export function apiRoutes(deps: {
  claims: ClaimsService;
  elections: ElectionsService;
  baseUrl: string;
}): Router {
  const router = Router();
  router.use('/api/v1', openCors);

  router.get('/api/v1/elections', async (req, res) => {
    if (answerIfFresh(req, res, await deps.elections.freshness())) return;
    const summaries = await deps.elections.summaries();
    res.json({ data: summaries.map((s) => electionJson(s, deps.baseUrl, req.t)) });
  });

  router.get('/api/v1/claims', async (req, res) => {
    const parsed = parseListQuery(req.query);
    if (!parsed.ok)
      throw new ValidationError(Object.fromEntries(parsed.invalid.map((name) => [name, 'invalid'])));
    const { request } = parsed;
    if (answerIfFresh(req, res, await deps.claims.listFreshness())) return;
    const page = await deps.claims.listPage(request);
    const link = (cursor?: string) =>
      `${deps.baseUrl}${withQuery(
        '/api/v1/claims',
        listParams(request.filters, {
          sort: request.sortGiven ? request.sort : undefined,
          per_page: request.perPage === DEFAULT_PAGE_SIZE ? undefined : request.perPage,
          cursor,
        }),
      )}`;
    const next = page.nextCursor ? link(page.nextCursor) : null;
    if (next) res.setHeader('Link', `<${next}>; rel="next"`);
    res.json({
      data: page.claims.map((claim) => claimJson(claim, deps.baseUrl, req.t)),
      links: { first: link(), next },
      // Past COUNT_CAP matches the count stops: `total_exact` false says "more than `total`".
      meta: { total: page.total, total_exact: !page.totalCapped, per_page: request.perPage },
    });
  });

  router.get('/api/v1/claims/:slug', async (req, res) => {
    const { slug } = req.params;
    // Like the verdict page: a revalidation reads the version alone (a 304 costs one small query); a
    // claim to be sent reads its content and its version in the page's one query.
    if (isRevalidation(req) && answerIfFresh(req, res, await deps.claims.verdictFreshness(slug))) return;
    const { page, freshness } = await deps.claims.verdictPageAndFreshness(slug);
    if (answerIfFresh(req, res, freshness)) return;
    res.json({ data: claimDetailJson(page, deps.baseUrl, req.t) });
  });

  return router;
}
