import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';

const SECTIONS = ['follow', 'tips', 'ip', 'delete', 'cookies'] as const;

/** What is kept about readers, why and for how long; the retention period comes from the configuration. */
export function privacyRoutes(deps: { baseUrl: string; retentionDays: number }): Router {
  const router = Router();
  router.get('/privacy', (req, res) => {
    // Nothing here comes from the database: the page changes only when the code or configuration does.
    if (answerIfFresh(req, res, { lastModified: null, version: `privacy-${deps.retentionDays}` })) return;
    res.render('privacy/index', {
      title: req.t('privacy.title'),
      canonical: `${deps.baseUrl}/privacy`,
      sections: SECTIONS,
      days: deps.retentionDays,
    });
  });
  return router;
}
