import { Router } from 'express';
import type { PageCache } from '../page-cache/page-cache';
import type { ElectionsService } from './elections.service';

export function electionsRoutes(deps: {
  elections: ElectionsService;
  baseUrl: string;
  pages: PageCache;
}): Router {
  const router = Router();
  router.get('/elections/:slug', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.elections.freshness(),
      view: 'elections/show',
      locals: async () => {
        const page = await deps.elections.electionPage(req.params.slug);
        return { ...page, canonical: `${deps.baseUrl}/elections/${page.election.slug}` };
      },
    });
  });
  return router;
}
