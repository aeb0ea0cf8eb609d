import { Router } from 'express';
import type { HomeService } from './home.service';

export function homeRoutes(deps: { home: HomeService }): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.render('home/index', { elections: await deps.home.overview() });
  });
  return router;
}
