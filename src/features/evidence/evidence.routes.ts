import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { EVIDENCE_STANCES } from '../claims/scales';
import {
  asFormText,
  type FormValues,
  formFailure,
  formValues,
  pathId,
  redirectWithFlash,
} from '../newsroom/forms';
import type { EvidenceListItem } from './evidence.repository';
import { EVIDENCE_FIELDS } from './evidence.schemas';
import type { EvidenceService } from './evidence.service';

function storedValues(item: EvidenceListItem): FormValues {
  const values: FormValues = {};
  for (const field of EVIDENCE_FIELDS)
    values[field] = asFormText((item as unknown as Record<string, unknown>)[field]);
  return values;
}

export function evidenceRoutes(deps: { evidence: EvidenceService }): Router {
  const { evidence } = deps;
  const router = Router();
  const reporter = requireRole('reporter');

  async function renderPage(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const page = await evidence.page(pathId(req.params.id));
    res.status(status).render('newsroom/evidence', {
      title: req.t('newsroom.evidence.title'),
      ...page,
      stances: EVIDENCE_STANCES,
      values: formValues({}, EVIDENCE_FIELDS),
      errors: {},
      removal: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/claims/:id/evidence', reporter, async (req, res) => {
    await renderPage(req, res, 200, {});
  });

  router.post('/newsroom/claims/:id/evidence', reporter, async (req, res) => {
    const claimId = pathId(req.params.id);
    try {
      await evidence.add(claimId, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'newsroom.flash.evidence_added',
        `/newsroom/claims/${claimId}/evidence`,
      );
    } catch (err) {
      const failure = formFailure(err);
      await renderPage(req, res, failure.status, {
        values: formValues(req.body, EVIDENCE_FIELDS),
        errors: failure.errors,
      });
    }
  });

  async function renderEdit(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const { claim, item } = await evidence.item(pathId(req.params.id), pathId(req.params.evidenceId));
    res.status(status).render('newsroom/evidence-form', {
      title: req.t('newsroom.evidence.edit'),
      claim,
      item,
      stances: EVIDENCE_STANCES,
      values: storedValues(item),
      errors: {},
      conflict: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/claims/:id/evidence/:evidenceId/edit', reporter, async (req, res) => {
    await renderEdit(req, res, 200, {});
  });

  router.post('/newsroom/claims/:id/evidence/:evidenceId/edit', reporter, async (req, res) => {
    const claimId = pathId(req.params.id);
    try {
      await evidence.update(claimId, pathId(req.params.evidenceId), req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/claims/${claimId}/evidence`);
    } catch (err) {
      const failure = formFailure(err);
      const values = formValues(req.body, EVIDENCE_FIELDS);
      if (failure.version !== undefined) values.version = String(failure.version);
      await renderEdit(req, res, failure.status, {
        values,
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  router.post('/newsroom/claims/:id/evidence/:evidenceId/remove', reporter, async (req, res) => {
    const claimId = pathId(req.params.id);
    const evidenceId = pathId(req.params.evidenceId);
    try {
      await evidence.remove(claimId, evidenceId, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'newsroom.flash.evidence_removed',
        `/newsroom/claims/${claimId}/evidence`,
      );
    } catch (err) {
      const failure = formFailure(err);
      await renderPage(req, res, failure.status, {
        removal: {
          id: evidenceId,
          errors: failure.conflict ? { _form: 'stale_version' } : failure.errors,
          reason: formValues(req.body, ['removal_reason']).removal_reason,
        },
      });
    }
  });

  return router;
}
