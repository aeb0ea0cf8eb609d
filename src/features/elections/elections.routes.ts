import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { ElectionsService } from './elections.service';

export function electionsRoutes(deps: { elections: ElectionsService; baseUrl: string }): Router {
  const router = Router();
  router.get('/elections/:slug', async (req, res) => {
    if (answerIfFresh(req, res, await deps.elections.freshness())) return;
    const page = await deps.elections.electionPage(req.params.slug);
    res.render('elections/show', { ...page, canonical: `${deps.baseUrl}/elections/${page.election.slug}` });
  });
  return router;
}
