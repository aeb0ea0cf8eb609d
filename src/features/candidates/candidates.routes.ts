import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { CandidatesService } from './candidates.service';

export function candidatesRoutes(deps: { candidates: CandidatesService; baseUrl: string }): Router {
  const router = Router();
  router.get('/candidates/:slug', async (req, res) => {
    if (answerIfFresh(req, res, await deps.candidates.freshness())) return;
    const page = await deps.candidates.candidatePage(req.params.slug);
    res.render('candidates/show', {
      ...page,
      canonical: `${deps.baseUrl}/candidates/${page.candidate.slug}`,
    });
  });
  return router;
}
