import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { formFailure, formValues, pathId, redirectWithFlash } from '../newsroom/forms';
import { RESPONSE_CORRECTION_FIELDS, RESPONSE_FIELDS } from './responses.schemas';
import type { ResponsesService } from './responses.service';

const EMPTY_RESPONSE = { responded_at: '', responder: '', responder_role: '', text: '', url: '' };

/** The right of reply in the newsroom: a claim's responses, the form that adds one, corrections. Editors. */
export function responsesRoutes(deps: { responses: ResponsesService }): Router {
  const { responses } = deps;
  const router = Router();
  const editor = requireRole('editor');

  async function renderList(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const overview = await responses.overview(pathId(req.params.id));
    res.status(status).render('newsroom/responses', {
      title: req.t('responses.title'),
      ...overview,
      values: EMPTY_RESPONSE,
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/claims/:id/responses', editor, async (req, res) => {
    await renderList(req, res, 200, {});
  });

  router.post('/newsroom/claims/:id/responses', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      const saved = await responses.add(id, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'responses.flash.added',
        `/newsroom/claims/${id}/responses#response-${saved.id}`,
      );
    } catch (err) {
      const failure = formFailure(err);
      await renderList(req, res, failure.status, {
        values: formValues(req.body, RESPONSE_FIELDS),
        errors: failure.errors,
      });
    }
  });

  async function renderCorrection(
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown>,
  ) {
    const response = await responses.response(pathId(req.params.id));
    res.status(status).render('newsroom/response-correct', {
      title: req.t('responses.correct'),
      response,
      values: { note: '', text: response.current.text ?? '', url: response.current.url ?? '' },
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/responses/:id/correct', editor, async (req, res) => {
    await renderCorrection(req, res, 200, {});
  });

  router.post('/newsroom/responses/:id/correct', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await responses.correct(id, req.body, actorOf(req));
      const response = await responses.response(id);
      await redirectWithFlash(
        req,
        res,
        'responses.flash.corrected',
        `/newsroom/claims/${response.claim_id}/responses#response-${id}`,
      );
    } catch (err) {
      const failure = formFailure(err);
      await renderCorrection(req, res, failure.status, {
        values: formValues(req.body, RESPONSE_CORRECTION_FIELDS),
        errors: failure.errors,
      });
    }
  });

  return router;
}
