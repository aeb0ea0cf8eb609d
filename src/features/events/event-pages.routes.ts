import { Router } from 'express';
import { answerIfFresh } from '../../http/cache';
import type { PageCache } from '../../http/page-cache';
import { TooManyRequestsError } from '../../lib/errors';
import type { Translate } from '../../lib/i18n';
import type { EventClaim, PublicEvent } from './event-pages.repository';
import type { EventPagesService } from './event-pages.service';
import type { EventStreams } from './event-stream';

/** An event in the API: field names are a contract (PRODUCT.md). */
export function eventJson(event: PublicEvent, baseUrl: string, t: Translate) {
  return {
    slug: event.slug,
    url: `${baseUrl}/events/${event.slug}`,
    name: event.name,
    kind: event.kind,
    kind_label: t(`event.kind.${event.kind}`),
    date: event.held_on,
    starts_at: event.starts_at,
    place: event.place,
    organiser: event.organiser,
    video_url: event.video_url,
    live_state: event.live_state,
    election: {
      slug: event.election_slug,
      name: event.election_name,
      url: `${baseUrl}/elections/${event.election_slug}`,
    },
    updated_at: event.updated_at,
  };
}

export function eventClaimJson(claim: EventClaim, baseUrl: string, t: Translate) {
  return {
    slug: claim.slug,
    url: `${baseUrl}/claims/${claim.slug}`,
    kind: claim.kind,
    status: claim.status,
    status_label: t(`status.${claim.status}`),
    title: claim.title,
    quote: claim.quote,
    moment: claim.moment,
    said_on: claim.said_on,
    candidate: {
      slug: claim.candidate_slug,
      name: claim.candidate_name,
      url: `${baseUrl}/candidates/${claim.candidate_slug}`,
    },
    updated_at: claim.updated_at,
  };
}

/** The public event page and the events API. */
export function eventPagesRoutes(deps: {
  events: EventPagesService;
  baseUrl: string;
  pages: PageCache;
  streams: EventStreams;
}): Router {
  const { events, baseUrl, pages, streams } = deps;
  const router = Router();

  // Server-Sent Events: what is published for the event, as it is (see event-stream.ts).
  router.get('/events/:slug/stream', async (req, res) => {
    const event = await events.findOrThrow(req.params.slug);
    if (!streams.attach(req, res, event)) throw new TooManyRequestsError('too_many_streams', 30);
  });

  router.get('/events/:slug', async (req, res) => {
    const { slug } = req.params;
    await pages.respond(req, res, {
      scope: `event:${slug}`,
      freshness: () => events.freshness(slug),
      view: 'events/show',
      locals: async () => {
        const page = await events.eventPage(slug);
        return { ...page, canonical: `${baseUrl}/events/${page.event.slug}` };
      },
    });
  });

  router.get('/api/v1/events', async (req, res) => {
    const list = await events.list();
    res.json({ data: list.map((e) => eventJson(e, baseUrl, req.t)) });
  });

  router.get('/api/v1/events/:slug', async (req, res) => {
    const { slug } = req.params;
    if (answerIfFresh(req, res, await events.freshness(slug))) return;
    const page = await events.eventPage(slug);
    res.json({
      data: {
        ...eventJson(page.event, baseUrl, req.t),
        claims: page.claims.map((c) => eventClaimJson(c, baseUrl, req.t)),
      },
    });
  });

  return router;
}
