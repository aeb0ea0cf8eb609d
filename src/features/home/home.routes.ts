import { Router } from 'express';
import type { PageCache } from '../../http/page-cache';
import type { HomeService } from './home.service';

export function homeRoutes(deps: { home: HomeService; baseUrl: string; pages: PageCache }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.home.freshness(),
      view: 'home/index',
      locals: async () => ({ ...(await deps.home.overview()), canonical: `${deps.baseUrl}/` }),
    });
  });
  return router;
}
