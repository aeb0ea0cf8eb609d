import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import type { ReferenceService } from '../election-editing/reference.service';
import {
  asFormText,
  type FormValues,
  formFailure,
  formValues,
  pathId,
  redirectWithFlash,
} from '../newsroom/forms';
import { EVENT_FIELDS } from './events.schemas';
import type { EventsService } from './events.service';
import { EVENT_KINDS, type Event } from './events.types';

function storedValues(event: Event): FormValues {
  const values: FormValues = {};
  for (const field of EVENT_FIELDS)
    values[field] = asFormText((event as unknown as Record<string, unknown>)[field]);
  return values;
}

/** The newsroom's events: a list, the form to create and edit one, and the desk's live and end buttons. */
export function eventsRoutes(deps: { events: EventsService; reference: ReferenceService }): Router {
  const { events, reference } = deps;
  const router = Router();
  const reporter = requireRole('reporter');
  const editor = requireRole('editor');

  router.get('/newsroom/events', reporter, async (req, res) => {
    res.render('newsroom/events', { title: req.t('newsroom.events.title'), events: await events.list() });
  });

  async function renderForm(_req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/event-form', {
      errors: {},
      conflict: undefined,
      event: undefined,
      kinds: EVENT_KINDS,
      elections: await reference.electionsWithCandidates(),
      ...locals,
    });
  }

  router.get('/newsroom/events/new', editor, async (req, res) => {
    const values = formValues({}, EVENT_FIELDS);
    if (typeof req.query.election_id === 'string') values.election_id = req.query.election_id;
    await renderForm(req, res, 200, {
      title: req.t('newsroom.events.new'),
      action: '/newsroom/events/new',
      values,
    });
  });

  router.post('/newsroom/events/new', editor, async (req, res) => {
    try {
      const event = await events.create(req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/events#event-${event.id}`);
    } catch (err) {
      const failure = formFailure(err);
      await renderForm(req, res, failure.status, {
        title: req.t('newsroom.events.new'),
        action: '/newsroom/events/new',
        values: formValues(req.body, EVENT_FIELDS),
        errors: failure.errors,
      });
    }
  });

  router.get('/newsroom/events/:id/edit', editor, async (req, res) => {
    const event = await events.find(pathId(req.params.id));
    await renderForm(req, res, 200, {
      title: req.t('newsroom.events.edit'),
      action: `/newsroom/events/${event.id}/edit`,
      event,
      values: storedValues(event),
    });
  });

  router.post('/newsroom/events/:id/edit', editor, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await events.update(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/events#event-${id}`);
    } catch (err) {
      const failure = formFailure(err);
      const event = await events.find(id);
      const values = formValues(req.body, EVENT_FIELDS);
      if (failure.version !== undefined) values.version = String(failure.version);
      await renderForm(req, res, failure.status, {
        title: req.t('newsroom.events.edit'),
        action: `/newsroom/events/${id}/edit`,
        event,
        values,
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  for (const [action, state] of [
    ['live', 'live'],
    ['end', 'ended'],
  ] as const) {
    router.post(`/newsroom/events/:id/${action}`, editor, async (req, res) => {
      const id = pathId(req.params.id);
      try {
        await events.setLive(id, state, actorOf(req));
      } catch (err) {
        const failure = formFailure(err);
        res.status(failure.status).render('newsroom/events', {
          title: req.t('newsroom.events.title'),
          events: await events.list(),
          errors: failure.errors,
        });
        return;
      }
      const desk = req.body?.back === 'desk';
      await redirectWithFlash(
        req,
        res,
        `newsroom.events.flash.${action}`,
        desk ? `/newsroom/events/${id}/desk` : `/newsroom/events#event-${id}`,
      );
    });
  }

  return router;
}
