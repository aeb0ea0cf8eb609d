import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { PageCache } from '../../http/page-cache';
import { formatDate } from '../../lib/dates';
import { NotFoundError, ValidationError } from '../../lib/errors';
import type { CandidatesRepository } from '../candidates/candidates.repository';
import { isSlug } from '../claims/claims.schemas';
import { PROMISE_STATUSES } from '../claims/scales';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import { renderPng } from '../sharing/share-image';
import { type ReportShare, reportShareSvg } from './report-share';
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
  newsroomName: string;
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

  router.get('/candidates/:slug/reports/:report/share.png', async (req, res) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: site,
      view: 'share.png',
      locals: async () => {
        const page = await deps.term.reportPage(req.params.slug, req.params.report);
        const { candidate, report } = page;
        return {
          milestone: `${req.t('feed.report')} · ${req.t(`milestone.${report.milestone}`)}`,
          title: report.title,
          who: candidate.running_mate ? `${candidate.name} – ${candidate.running_mate}` : candidate.name,
          when: req.t('term.report.share_when', { date: formatDate(report.as_of, req.lang, 'long') }),
          counts: report.snapshot.counts,
          labels: Object.fromEntries(PROMISE_STATUSES.map((s) => [s, req.t(`status.${s}`)])),
          empty: req.t('term.report.no_promises'),
          newsroom: deps.newsroomName,
          site: new URL(deps.baseUrl).host,
        } satisfies ReportShare;
      },
      draw: async (locals) => {
        const share = locals as ReportShare;
        const description = `${share.title}: ${share.when}`;
        return { body: await renderPng(reportShareSvg(share), description), contentType: 'image/png' };
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
        const canonical = `${deps.baseUrl}/candidates/${page.candidate.slug}/reports/${page.report.slug}`;
        const title = `${page.report.title} · ${page.candidate.name}`;
        const description = req.t('term.report.description', {
          candidate: page.candidate.name,
          date: formatDate(page.report.as_of, req.lang, 'long'),
        });
        const social = {
          type: 'article',
          title,
          description,
          url: canonical,
          locale: req.lang === 'en' ? 'en_GB' : 'id_ID',
          image: {
            url: `${canonical}/share.png${req.lang === 'en' ? '?lang=en' : ''}`,
            alt: `${page.report.title}: ${description}`,
          },
        };
        return { ...page, canonical, social };
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
