import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { formFailure, pathId, redirectWithFlash } from '../newsroom/forms';
import type { StatusUpdatesService } from '../status-updates/status-updates.service';
import type { ReviewService } from './review.service';

/** The editors' desk: claims waiting to be published and status changes waiting for a decision. */
export function reviewRoutes(deps: { review: ReviewService; statusUpdates: StatusUpdatesService }): Router {
  const { review, statusUpdates } = deps;
  const router = Router();
  const editor = requireRole('editor');

  async function render(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/review', {
      title: req.t('newsroom.review.title'),
      ...(await review.queue(actorOf(req))),
      failed: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/review', editor, async (req, res) => {
    await render(req, res, 200, {});
  });

  router.post('/newsroom/status-updates/:id/approve', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await statusUpdates.approve(id, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.status_approved', '/newsroom/review');
    } catch (err) {
      const failure = formFailure(err);
      await render(req, res, failure.status, { failed: { id, errors: failure.errors, reason: '' } });
    }
  });

  router.post('/newsroom/status-updates/:id/reject', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await statusUpdates.reject(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.status_rejected', '/newsroom/review');
    } catch (err) {
      const failure = formFailure(err);
      const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
      await render(req, res, failure.status, { failed: { id, errors: failure.errors, reason } });
    }
  });

  return router;
}
