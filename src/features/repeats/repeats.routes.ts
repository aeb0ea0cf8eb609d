import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { formFailure, pathId, redirectWithFlash } from '../newsroom/forms';
import type { RepeatsService } from './repeats.service';

/** The repeat form of a claim: which claim it repeats, and which claims repeat it (editors). */
export function repeatsRoutes(deps: { repeats: RepeatsService }): Router {
  const { repeats } = deps;
  const router = Router();
  const editor = requireRole('editor');

  async function render(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const overview = await repeats.overview(pathId(req.params.id));
    res.status(status).render('newsroom/repeat', {
      title: req.t('repeats.title'),
      ...overview,
      errors: {},
      value: overview.original ? overview.original.slug : '',
      ...locals,
    });
  }

  router.get('/newsroom/claims/:id/repeat', editor, async (req, res) => {
    await render(req, res, 200, {});
  });

  router.post('/newsroom/claims/:id/repeat', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await repeats.link(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'repeats.flash.saved', `/newsroom/claims/${id}`);
    } catch (err) {
      const failure = formFailure(err);
      const typed = (req.body as Record<string, unknown> | undefined)?.repeat_of;
      await render(req, res, failure.status, {
        errors: failure.errors,
        value: typeof typed === 'string' ? typed : '',
      });
    }
  });

  return router;
}
