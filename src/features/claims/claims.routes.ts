import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { PageCache } from '../../http/page-cache';
import { meterOf } from '../sharing/meter';
import { badgeSvg } from './badge';
import { claimsListView, verdictView } from './claims.presenters';
import { DEFAULT_PAGE_SIZE, parseListQuery } from './claims.schemas';
import type { ClaimsService } from './claims.service';
import { toneOf } from './tones';

// Each page: freshness first (ETag, Last-Modified, 304 without rendering), then load, then render.
export function claimsRoutes(deps: {
  claims: ClaimsService;
  baseUrl: string;
  newsroomName: string;
  /** Rendered verdict pages kept in memory for anonymous readers (docs/DECISIONS.md, "Page cache"). */
  pages: PageCache;
}): Router {
  const router = Router();

  router.get('/claims', async (req, res) => {
    const parsed = parseListQuery(req.query);
    if (!parsed.ok) {
      // Like a form sent back with field errors: the page itself, saying which parameters made no sense.
      const options = await deps.claims.filterOptions();
      res.status(400).setHeader('Cache-Control', 'no-store');
      res.render(
        'claims/index',
        claimsListView({ options, invalid: parsed.invalid, t: req.t, baseUrl: deps.baseUrl }),
      );
      return;
    }
    if (answerIfFresh(req, res, await deps.claims.listFreshness())) return;
    // Pages always show the default number of claims; `per_page` is for the API.
    const request = { ...parsed.request, perPage: DEFAULT_PAGE_SIZE };
    const [page, options] = await Promise.all([
      deps.claims.listPage(request),
      deps.claims.filterOptions({
        elections: request.filters.elections,
        candidates: request.filters.candidates,
      }),
    ]);
    res.render('claims/index', claimsListView({ request, page, options, t: req.t, baseUrl: deps.baseUrl }));
  });

  router.get('/claims/:slug', async (req, res) => {
    const { slug } = req.params;
    await deps.pages.respond(req, res, {
      scope: `claim:${slug}`,
      freshness: () => deps.claims.verdictFreshness(slug),
      view: 'claims/show',
      load: async () => {
        const { page, freshness } = await deps.claims.verdictPageAndFreshness(slug);
        const view = verdictView({
          page,
          t: req.t,
          lang: req.lang,
          baseUrl: deps.baseUrl,
          newsroomName: deps.newsroomName,
        });
        return { freshness, locals: view };
      },
    });
  });

  router.get('/claims/:slug/badge.svg', async (req, res) => {
    const freshness = await deps.claims.verdictFreshness(req.params.slug);
    // Embeddable anywhere, as an image or in a frame: this response alone relaxes framing and CORP.
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors *");
    res.removeHeader('X-Frame-Options');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (answerIfFresh(req, res, freshness)) return;
    const claim = await deps.claims.publicClaim(req.params.slug);
    const retracted = claim.workflow_state === 'retracted';
    const value = retracted ? req.t('workflow.retracted') : req.t(`status.${claim.status}`);
    const label = req.t('site.name');
    res.type('image/svg+xml; charset=utf-8');
    res.send(
      badgeSvg({
        label,
        value,
        tone: retracted ? 'neutral' : toneOf(claim.status),
        title: `${label}: ${value}`,
        meter: meterOf(claim.kind, claim.status, retracted),
      }),
    );
  });

  return router;
}
