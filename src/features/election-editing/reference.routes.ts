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
import { CANDIDATE_FIELDS, ELECTION_FIELDS, TOPIC_FIELDS } from './reference.schemas';
import type { ReferenceService } from './reference.service';

function storedValues(row: Record<string, unknown>, fields: readonly string[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) values[field] = asFormText(row[field]);
  if ('is_incumbent' in row) values.is_incumbent = row.is_incumbent ? 'true' : '';
  if (Array.isArray(row.aliases)) values.aliases = row.aliases.join('\n');
  return values;
}

function withVersion(values: FormValues, failure: FormFailure): FormValues {
  return failure.version === undefined ? values : { ...values, version: String(failure.version) };
}

/** Forms for elections, candidates (tickets) and topics. */
export function referenceRoutes(deps: { reference: ReferenceService }): Router {
  const { reference } = deps;
  const router = Router();
  const reporter = requireRole('reporter');
  const editor = requireRole('editor');

  router.get('/newsroom/elections', reporter, async (req, res) => {
    res.render('newsroom/elections', {
      title: req.t('newsroom.elections.title'),
      elections: await reference.electionsWithCandidates(),
    });
  });

  // --- elections ---
  function renderElection(_req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/election-form', { errors: {}, conflict: undefined, ...locals });
  }

  router.get('/newsroom/elections/new', editor, (req, res) => {
    renderElection(req, res, 200, {
      title: req.t('newsroom.elections.new'),
      action: '/newsroom/elections/new',
      values: formValues({}, ELECTION_FIELDS),
    });
  });

  router.post('/newsroom/elections/new', editor, async (req, res) => {
    try {
      await reference.createElection(req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/elections');
    } catch (err) {
      const failure = formFailure(err);
      renderElection(req, res, failure.status, {
        title: req.t('newsroom.elections.new'),
        action: '/newsroom/elections/new',
        values: formValues(req.body, ELECTION_FIELDS),
        errors: failure.errors,
      });
    }
  });

  router.get('/newsroom/elections/:id/edit', editor, async (req, res) => {
    const election = await reference.election(pathId(req.params.id));
    renderElection(req, res, 200, {
      title: req.t('newsroom.elections.edit'),
      action: `/newsroom/elections/${election.id}/edit`,
      election,
      values: storedValues({ ...election }, ELECTION_FIELDS),
    });
  });

  router.post('/newsroom/elections/:id/edit', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await reference.updateElection(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/elections');
    } catch (err) {
      const failure = formFailure(err);
      const election = await reference.election(id);
      renderElection(req, res, failure.status, {
        title: req.t('newsroom.elections.edit'),
        action: `/newsroom/elections/${id}/edit`,
        election,
        values: withVersion(formValues(req.body, ELECTION_FIELDS), failure),
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  // --- candidates (tickets) ---
  function renderCandidate(_req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/candidate-form', { errors: {}, conflict: undefined, ...locals });
  }

  router.get('/newsroom/elections/:id/candidates/new', editor, async (req, res) => {
    const election = await reference.election(pathId(req.params.id));
    renderCandidate(req, res, 200, {
      title: req.t('newsroom.candidates.new'),
      action: `/newsroom/elections/${election.id}/candidates/new`,
      election,
      values: formValues({}, CANDIDATE_FIELDS),
    });
  });

  router.post('/newsroom/elections/:id/candidates/new', editor, async (req, res) => {
    const election = await reference.election(pathId(req.params.id));
    try {
      await reference.createCandidate(election.id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/elections');
    } catch (err) {
      const failure = formFailure(err);
      renderCandidate(req, res, failure.status, {
        title: req.t('newsroom.candidates.new'),
        action: `/newsroom/elections/${election.id}/candidates/new`,
        election,
        values: formValues(req.body, CANDIDATE_FIELDS),
        errors: failure.errors,
      });
    }
  });

  router.get('/newsroom/candidates/:id/edit', editor, async (req, res) => {
    const candidate = await reference.candidate(pathId(req.params.id));
    renderCandidate(req, res, 200, {
      title: req.t('newsroom.candidates.edit'),
      action: `/newsroom/candidates/${candidate.id}/edit`,
      election: candidate.election,
      candidate,
      values: storedValues({ ...candidate }, CANDIDATE_FIELDS),
    });
  });

  router.post('/newsroom/candidates/:id/edit', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await reference.updateCandidate(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/elections');
    } catch (err) {
      const failure = formFailure(err);
      const candidate = await reference.candidate(id);
      renderCandidate(req, res, failure.status, {
        title: req.t('newsroom.candidates.edit'),
        action: `/newsroom/candidates/${id}/edit`,
        election: candidate.election,
        candidate,
        values: withVersion(formValues(req.body, CANDIDATE_FIELDS), failure),
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  // --- topics ---
  async function renderTopics(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/topics', {
      title: req.t('newsroom.topics.title'),
      topics: await reference.topics(),
      values: { name: '' },
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/topics', reporter, async (req, res) => {
    await renderTopics(req, res, 200, {});
  });

  router.post('/newsroom/topics', reporter, async (req, res) => {
    try {
      await reference.createTopic(req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/topics');
    } catch (err) {
      const failure = formFailure(err);
      await renderTopics(req, res, failure.status, {
        values: formValues(req.body, ['name']),
        errors: failure.errors,
      });
    }
  });

  function renderTopic(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/topic-form', {
      title: req.t('newsroom.topics.edit'),
      errors: {},
      conflict: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/topics/:id/edit', editor, async (req, res) => {
    const topic = await reference.topic(pathId(req.params.id));
    renderTopic(req, res, 200, { topic, values: storedValues({ ...topic }, TOPIC_FIELDS) });
  });

  router.post('/newsroom/topics/:id/edit', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await reference.updateTopic(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', '/newsroom/topics');
    } catch (err) {
      const failure = formFailure(err);
      const topic = await reference.topic(id);
      renderTopic(req, res, failure.status, {
        topic,
        values: withVersion(formValues(req.body, TOPIC_FIELDS), failure),
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  return router;
}
