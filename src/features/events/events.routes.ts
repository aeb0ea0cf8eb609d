import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import type { ChangeFeed } from '../../lib/change-feed';
import type { ReferenceService } from '../election-editing/reference.service';
import {
  asFormText,
  type FormValues,
  formFailure,
  formValues,
  pathId,
  redirectWithFlash,
} from '../newsroom/forms';
import type { DeskService } from './desk.service';
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
export function eventsRoutes(deps: {
  events: EventsService;
  reference: ReferenceService;
  desk: DeskService;
  feed: ChangeFeed | undefined;
  heartbeatMs: number;
  /** A server shutting down ends the desks' streams (they reconnect elsewhere). */
  lifecycle: { accepting: boolean };
}): Router {
  const { events, reference, desk } = deps;
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

  // --- the live desk ---
  router.get('/newsroom/events/:id/desk', reporter, async (req, res) => {
    const page = await desk.desk(pathId(req.params.id));
    res.set('Cache-Control', 'no-store');
    if (req.query.part === 'rows') {
      res.render('newsroom/desk-rows', { ...page, errors: {} });
      return;
    }
    res.render('newsroom/desk', { title: `${req.t('desk.title')}: ${page.event.name}`, ...page, errors: {} });
  });

  // Tells an open desk that something it shows may have changed (it then fetches its rows again): drafts
  // never travel on this stream, only the news that there is news.
  router.get('/newsroom/events/:id/desk/stream', reporter, async (req, res) => {
    const event = await events.find(pathId(req.params.id));
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    req.socket.setTimeout(0);
    let pending = false;
    const unsubscribe = deps.feed?.subscribe((table) => {
      if (table !== undefined && !DESK_TABLES.has(table)) return;
      // Several notifications of one save become one message.
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        res.write(`event: changed\ndata: {"event":${event.id}}\n\n`);
      });
    });
    const heartbeat = setInterval(() => res.write(': ♥\n\n'), deps.heartbeatMs);
    const stopping = setInterval(() => {
      if (!deps.lifecycle.accepting) res.end();
    }, 500);
    res.on('close', () => {
      unsubscribe?.();
      clearInterval(heartbeat);
      clearInterval(stopping);
    });
  });

  for (const action of ['check', 'uncheck'] as const) {
    router.post(`/newsroom/claims/:id/${action}`, reporter, async (req, res) => {
      const id = pathId(req.params.id);
      const eventId = pathId(req.body?.event_id);
      try {
        if (action === 'check') await desk.check(id, actorOf(req), req.body?.take_over === '1');
        else await desk.uncheck(id, actorOf(req));
      } catch (err) {
        const failure = formFailure(err);
        if (eventId < 0) throw err;
        const page = await desk.desk(eventId);
        res.status(failure.status).render('newsroom/desk', {
          title: `${req.t('desk.title')}: ${page.event.name}`,
          ...page,
          errors: failure.errors,
        });
        return;
      }
      res.redirect(
        303,
        eventId > 0 ? `/newsroom/events/${eventId}/desk#desk-claim-${id}` : `/newsroom/claims/${id}`,
      );
    });
  }

  return router;
}

/** The tables whose changes a desk shows. */
const DESK_TABLES = new Set(['claims', 'claim_checks', 'events', 'users']);
