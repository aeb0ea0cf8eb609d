import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { HomeService } from './home.service';

export function homeRoutes(deps: { home: HomeService; baseUrl: string }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (answerIfFresh(req, res, await deps.home.freshness())) return;
    const page = await deps.home.overview();
    res.render('home/index', { ...page, canonical: `${deps.baseUrl}/` });
  });
  return router;
}
