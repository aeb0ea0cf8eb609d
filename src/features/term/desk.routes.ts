import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import {
  asFormText,
  type FormFailure,
  type FormValues,
  formFailure,
  formValues,
  pathId,
  redirectWithFlash,
} from '../newsroom/forms';
import { AGENCY_FIELDS, CORRECTION_FIELDS, REPORT_FIELDS } from './desk.schemas';
import type { TermDeskService } from './desk.service';
import { MILESTONES } from './reports';

function withVersion(values: FormValues, failure: FormFailure): FormValues {
  return failure.version === undefined ? values : { ...values, version: String(failure.version) };
}

/** The newsroom's forms of a term: winner, agencies, milestone reports and their corrections. */
export function termDeskRoutes(deps: { desk: TermDeskService }): Router {
  const { desk } = deps;
  const router = Router();
  const editor = requireRole('editor');

  async function renderDesk(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const page = await desk.desk(pathId(req.params.id));
    res.status(status).render('term/desk', {
      title: req.t('term.desk.title', { election: page.election.name }),
      ...page,
      values: { name: '', short_name: '' },
      errors: {},
      winnerErrors: {},
      ...locals,
    });
  }

  router.get('/newsroom/elections/:id/term', editor, async (req, res) => {
    await renderDesk(req, res, 200, {});
  });

  router.post('/newsroom/elections/:id/winner', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await desk.setWinner(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/elections/${id}/term`);
    } catch (err) {
      const failure = formFailure(err);
      await renderDesk(req, res, failure.status, { winnerErrors: failure.errors });
    }
  });

  router.post('/newsroom/elections/:id/agencies', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await desk.createAgency(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/elections/${id}/term#agencies`);
    } catch (err) {
      const failure = formFailure(err);
      await renderDesk(req, res, failure.status, {
        values: formValues(req.body, ['name', 'short_name']),
        errors: failure.errors,
      });
    }
  });

  function renderAgency(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('term/agency-form', {
      title: req.t('term.agency.edit'),
      errors: {},
      conflict: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/agencies/:id/edit', editor, async (req, res) => {
    const agency = await desk.agency(pathId(req.params.id));
    const values: FormValues = {};
    for (const field of AGENCY_FIELDS)
      values[field] = asFormText((agency as unknown as Record<string, unknown>)[field]);
    renderAgency(req, res, 200, { agency, values });
  });

  router.post('/newsroom/agencies/:id/edit', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      const saved = await desk.updateAgency(id, req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'newsroom.flash.saved',
        `/newsroom/elections/${saved.election_id}/term#agencies`,
      );
    } catch (err) {
      const failure = formFailure(err);
      const agency = await desk.agency(id);
      renderAgency(req, res, failure.status, {
        agency,
        values: withVersion(formValues(req.body, AGENCY_FIELDS), failure),
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  async function renderReportForm(
    req: Request,
    res: Response,
    status: number,
    locals: Record<string, unknown>,
  ) {
    const candidate = await desk.candidate(pathId(req.params.id));
    res.status(status).render('term/report-form', {
      title: req.t('term.report.new'),
      candidate,
      milestones: MILESTONES,
      values: { milestone: '', title: '', as_of: '', intro: '' },
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/candidates/:id/reports/new', editor, async (req, res) => {
    await renderReportForm(req, res, 200, {});
  });

  router.post('/newsroom/candidates/:id/reports/new', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      const report = await desk.publishReport(id, req.body, actorOf(req));
      const candidate = await desk.candidate(id);
      await redirectWithFlash(
        req,
        res,
        'term.report.published',
        `/newsroom/elections/${candidate.election_id}/term?report=${report.id}#reports`,
      );
    } catch (err) {
      const failure = formFailure(err);
      await renderReportForm(req, res, failure.status, {
        values: formValues(req.body, REPORT_FIELDS),
        errors: failure.errors,
      });
    }
  });

  function renderCorrection(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('term/report-correct', {
      title: req.t('term.report.correct'),
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/reports/:id/correct', editor, async (req, res) => {
    const report = await desk.report(pathId(req.params.id));
    const latest = [...report.corrections].reverse().find((c) => c.intro !== null);
    renderCorrection(req, res, 200, { report, values: { note: '', intro: latest?.intro ?? report.intro } });
  });

  router.post('/newsroom/reports/:id/correct', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await desk.correctReport(id, req.body, actorOf(req));
      const report = await desk.report(id);
      await redirectWithFlash(
        req,
        res,
        'newsroom.flash.saved',
        `/newsroom/elections/${report.candidate.election_id}/term#reports`,
      );
    } catch (err) {
      const failure = formFailure(err);
      const report = await desk.report(id);
      renderCorrection(req, res, failure.status, {
        report,
        values: formValues(req.body, CORRECTION_FIELDS),
        errors: failure.errors,
      });
    }
  });

  return router;
}
