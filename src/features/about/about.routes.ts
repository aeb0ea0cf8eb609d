import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import { PROMISE_STATUSES, ratingValue, STATEMENT_STATUSES } from '../claims/scales';

/** How we rate: both scales with their definitions, the evidence rule and the corrections policy. */
export function aboutRoutes(deps: { baseUrl: string }): Router {
  const router = Router();
  router.get('/about', (req, res) => {
    // Nothing here comes from the database: the page changes only when the code does.
    if (answerIfFresh(req, res, { lastModified: null, version: 'about' })) return;
    res.render('about/index', {
      canonical: `${deps.baseUrl}/about`,
      scales: [
        {
          kind: 'promise',
          statuses: PROMISE_STATUSES.map((status) => ({ status, rating: ratingValue(status) })),
        },
        {
          kind: 'statement',
          statuses: STATEMENT_STATUSES.map((status) => ({ status, rating: ratingValue(status) })),
        },
      ],
    });
  });
  return router;
}
