import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { PageCache } from '../../http/page-cache';
import { NotFoundError, ValidationError } from '../../lib/errors';
import type { CandidatesRepository } from '../candidates/candidates.repository';
import { isSlug } from '../claims/claims.schemas';
import { PROMISE_STATUSES } from '../claims/scales';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import { COMPARE_MAX, type TermService } from './term.service';

/** `?candidate=a&candidate=b`: the tickets to compare, as slugs (anything else is a 400). */
function chosenCandidates(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length > COMPARE_MAX * 2 || !list.every((v) => typeof v === 'string' && (v === '' || isSlug(v)))) {
    return undefined;
  }
  return [...new Set((list as string[]).filter(Boolean))];
}

/** The public reads of a term: agencies, milestone reports, the comparison, the history series in the API. */
export function termRoutes(deps: {
  term: TermService;
  candidates: CandidatesRepository;
  freshness: FreshnessRepository;
  baseUrl: string;
  pages: PageCache;
}): Router {
  const router = Router();
  const site = () => deps.freshness.site();

  router.get('/elections/:slug/agencies/:agency', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: site,
      view: 'term/agency',
      locals: async () => {
        const page = await deps.term.agencyPage(req.params.slug, req.params.agency);
        return {
          ...page,
          canonical: `${deps.baseUrl}/elections/${page.election.slug}/agencies/${page.agency.slug}`,
        };
      },
    });
  });

  router.get('/elections/:slug/compare', async (req, res) => {
    const chosen = chosenCandidates(req.query.candidate);
    if (chosen === undefined) throw new ValidationError({ candidate: 'invalid' });
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: site,
      view: 'term/compare',
      locals: async () => {
        const page = await deps.term.comparePage(req.params.slug, chosen);
        return { ...page, canonical: `${deps.baseUrl}/elections/${page.election.slug}/compare` };
      },
    });
  });

  router.get('/candidates/:slug/reports/:report', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: site,
      view: 'term/report',
      locals: async () => {
        const page = await deps.term.reportPage(req.params.slug, req.params.report);
        return {
          ...page,
          canonical: `${deps.baseUrl}/candidates/${page.candidate.slug}/reports/${page.report.slug}`,
        };
      },
    });
  });

  router.get('/api/v1/candidates/:slug/history', async (req, res) => {
    if (answerIfFresh(req, res, await deps.freshness.site())) return;
    const { slug } = req.params;
    const candidate = isSlug(slug) ? await deps.candidates.findBySlug(slug) : undefined;
    if (!candidate) throw new NotFoundError();
    const months = await deps.term.history({ candidateId: candidate.id });
    res.json({
      data: {
        candidate: {
          slug: candidate.slug,
          name: candidate.name,
          url: `${deps.baseUrl}/candidates/${candidate.slug}`,
        },
        statuses: PROMISE_STATUSES.map((status) => ({ status, status_label: req.t(`status.${status}`) })),
        months: months.map((m) => ({ month: m.month, counts: m.counts, total: m.total })),
      },
    });
  });

  return router;
}
