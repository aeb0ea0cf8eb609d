import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { statusesFor } from '../claims/scales';
import { formFailure, formValues, pathId, redirectWithFlash } from '../newsroom/forms';
import { STATUS_REASONS } from '../term/reasons';
import { STATUS_FIELDS, type StatusUpdatesService } from './status-updates.service';

export function statusUpdatesRoutes(deps: { statusUpdates: StatusUpdatesService }): Router {
  const { statusUpdates } = deps;
  const router = Router();
  const reporter = requireRole('reporter');

  async function render(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const page = await statusUpdates.page(pathId(req.params.id));
    res.status(status).render('newsroom/status', {
      title: req.t('newsroom.status.title'),
      ...page,
      statuses: statusesFor(page.claim.kind),
      reasons: STATUS_REASONS,
      values: { ...formValues({}, STATUS_FIELDS, ['evidence_ids']), version: String(page.claim.version) },
      errors: {},
      conflict: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/claims/:id/status', reporter, async (req, res) => {
    await render(req, res, 200, {});
  });

  router.post('/newsroom/claims/:id/status', reporter, async (req, res) => {
    const claimId = pathId(req.params.id);
    try {
      const { approved } = await statusUpdates.propose(claimId, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        approved ? 'newsroom.flash.status_changed' : 'newsroom.flash.status_proposed',
        `/newsroom/claims/${claimId}`,
      );
    } catch (err) {
      const failure = formFailure(err);
      const values = formValues(req.body, STATUS_FIELDS, ['evidence_ids']);
      if (failure.version !== undefined) values.version = String(failure.version);
      await render(req, res, failure.status, {
        values,
        errors: failure.conflict ? { _form: 'stale_version' } : failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  return router;
}
