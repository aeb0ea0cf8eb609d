import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import { NotFoundError } from '../../lib/errors';
import type { CandidatesRepository } from '../candidates/candidates.repository';
import { isSlug } from '../claims/claims.schemas';
import { PROMISE_STATUSES } from '../claims/scales';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import type { TermService } from './term.service';

/** The public reads of a term: the history series in the API. */
export function termRoutes(deps: {
  term: TermService;
  candidates: CandidatesRepository;
  freshness: FreshnessRepository;
  baseUrl: string;
}): Router {
  const router = Router();

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
