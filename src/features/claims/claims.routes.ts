import { Router } from 'express';
import { renderMarkdown } from '../../lib/markdown';
import { safeHref } from '../../lib/urls';
import type { ClaimsService } from './claims.service';

export function claimsRoutes(deps: { claims: ClaimsService }): Router {
  const router = Router();
  router.get('/claims/:slug', async (req, res) => {
    const claim = await deps.claims.verdictPage(req.params.slug);
    res.render('claims/show', {
      claim,
      sourceHref: safeHref(claim.source_url),
      explanationHtml: renderMarkdown(claim.explanation),
    });
  });
  return router;
}
