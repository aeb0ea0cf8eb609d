import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { type FieldErrors, ValidationError } from '../../lib/errors';
import { renderClaimForm } from '../claim-editing/claim-editing.routes';
import { CLAIM_FIELDS } from '../claim-editing/claim-editing.schemas';
import { EVIDENCE_STANCES } from '../claims/scales';
import type { ReferenceService } from '../election-editing/reference.service';
import type { EventsService } from '../events/events.service';
import { EVIDENCE_FIELDS } from '../evidence/evidence.schemas';
import type { EvidenceService } from '../evidence/evidence.service';
import { type FormValues, formFailure, formValues, pathId, redirectWithFlash } from '../newsroom/forms';
import type { Agency } from '../term/agencies.repository';
import type { TipQueueService } from './tip-queue.service';
import { TIP_STATES, type TipState, type TipView } from './tips.repository';

const PAGE_SIZE = 50;

/** `/newsroom/tips`: the queue of readers' tips, and turning one into a draft claim or evidence. */
export function tipQueueRoutes(deps: {
  queue: TipQueueService;
  reference: ReferenceService;
  events: EventsService;
  agencies: () => Promise<Agency[]>;
  evidence: EvidenceService;
}): Router {
  const { queue, reference, events, evidence } = deps;
  const router = Router();
  const reporter = requireRole('reporter');

  async function renderQueue(
    req: Request,
    res: Response,
    status: number,
    failed?: { id: number; errors: FieldErrors },
  ) {
    const state: TipState =
      typeof req.query.state === 'string' && (TIP_STATES as readonly string[]).includes(req.query.state)
        ? (req.query.state as TipState)
        : 'new';
    const page =
      typeof req.query.page === 'string' && /^\d{1,5}$/.test(req.query.page)
        ? Math.max(1, Number(req.query.page))
        : 1;
    const { tips, counts } = await queue.queue(state, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
    res.status(status).render('newsroom/tips', {
      title: req.t('newsroom.tips.title'),
      tips: tips.slice(0, PAGE_SIZE),
      hasNext: tips.length > PAGE_SIZE,
      page,
      state,
      states: TIP_STATES,
      counts,
      failed,
    });
  }

  async function renderDraft(
    req: Request,
    res: Response,
    status: number,
    tip: TipView,
    locals: Record<string, unknown>,
  ) {
    await renderClaimForm({ reference, events, agencies: deps.agencies }, res, status, {
      title: req.t('newsroom.tips.to_draft'),
      action: `/newsroom/tips/${tip.id}/draft`,
      tip,
      ...locals,
    });
  }

  async function renderEvidence(
    req: Request,
    res: Response,
    status: number,
    tip: TipView,
    claimId: number,
    values: FormValues,
    errors: FieldErrors = {},
  ) {
    res.status(status).render('newsroom/evidence', {
      title: req.t('newsroom.tips.to_evidence'),
      ...(await evidence.page(claimId)),
      stances: EVIDENCE_STANCES,
      values,
      errors,
      removal: undefined,
      action: `/newsroom/tips/${tip.id}/evidence`,
      tip,
    });
  }

  router.get('/newsroom/tips', reporter, async (req, res) => {
    await renderQueue(req, res, 200);
  });

  router.get('/newsroom/tips/:id/draft', reporter, async (req, res) => {
    const { tip, values } = await queue.draftForm(pathId(req.params.id));
    await renderDraft(req, res, 200, tip, { values });
  });

  router.post('/newsroom/tips/:id/draft', reporter, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      const claim = await queue.draft(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.tip_drafted', `/newsroom/claims/${claim.id}`);
    } catch (err) {
      const failure = formFailure(err);
      const { tip } = await queue.draftForm(id);
      await renderDraft(req, res, failure.status, tip, {
        values: formValues(req.body, CLAIM_FIELDS, ['topics']),
        errors: failure.errors,
      });
    }
  });

  router.get('/newsroom/tips/:id/evidence', reporter, async (req, res) => {
    const { tip, claimId, values } = await queue.evidenceForm(pathId(req.params.id));
    await renderEvidence(req, res, 200, tip, claimId, { ...formValues({}, EVIDENCE_FIELDS), ...values });
  });

  router.post('/newsroom/tips/:id/evidence', reporter, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      const created = await queue.addEvidence(id, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'newsroom.flash.tip_evidence',
        `/newsroom/claims/${created.claim_id}/evidence`,
      );
    } catch (err) {
      const failure = formFailure(err);
      const { tip, claimId } = await queue.evidenceForm(id);
      await renderEvidence(
        req,
        res,
        failure.status,
        tip,
        claimId,
        formValues(req.body, EVIDENCE_FIELDS),
        failure.errors,
      );
    }
  });

  router.post('/newsroom/tips/:id/dismiss', reporter, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await queue.dismiss(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.tip_dismissed', '/newsroom/tips');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderQueue(req, res, 400, { id, errors: err.fieldErrors });
    }
  });

  router.post('/newsroom/tips/:id/delete', requireRole('editor'), async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await queue.remove(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.tip_deleted', '/newsroom/tips');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderQueue(req, res, 400, { id, errors: err.fieldErrors });
    }
  });

  return router;
}
