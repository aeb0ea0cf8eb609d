import type { Request, Response } from 'express';
import type { Db } from '../../db';
import type { ChangeFeed } from '../../lib/change-feed';
import { LANGUAGES, type Lang, translator } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import type { EventPagesRepository, PublicEvent } from './event-pages.repository';

// Live streams of events: Server-Sent Events at /events/:slug/stream. What a stream sends is the event's
// update record (event_updates, written by triggers for every writer), read after the change feed says
// it grew, once per event however many readers it has, and sent to each reader from the id it has.

/** How long to wait between reads when the change feed is down (or there is none). */
const POLL_WHEN_DEAF_MS = 1_000;
/** How often streams check that the server still accepts work (a shutdown closes them). */
const LIFECYCLE_CHECK_MS = 500;
/** What a reader that lost the stream waits before reconnecting, in ms (the `retry` field). */
const RETRY_MS = 2_000;

interface UpdateRow {
  id: string;
  claim_id: number | null;
  kind: 'claim' | 'live' | 'ended';
}

/** One update as every reader of one language receives it: the SSE frame, written once. */
interface Frame {
  id: number;
  ended: boolean;
  text: Record<Lang, string>;
}

interface Reader {
  res: Response;
  lang: Lang;
  ip: string;
  /** The last update id this reader has. */
  cursor: number;
}

interface Channel {
  eventId: number;
  slug: string;
  readers: Set<Reader>;
  /** Reading the update record now; `again` when more was heard meanwhile. */
  reading: boolean;
  again: boolean;
}

export interface EventStreamOptions {
  db: Db;
  pages: EventPagesRepository;
  feed: ChangeFeed | undefined;
  baseUrl: string;
  logger: Logger;
  perIp: number;
  heartbeatMs: number;
  lifecycle: { accepting: boolean };
}

function frame(name: string, id: number, data: unknown): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The live streams of one server process. */
export function eventStreams(options: EventStreamOptions) {
  const { db, pages, baseUrl } = options;
  const channels = new Map<number, Channel>();
  const perIp = new Map<string, number>();
  let open = 0;

  /** The frames of the updates after `after`, in order, each written for both languages. */
  async function framesAfter(event: { id: number }, after: number): Promise<Frame[]> {
    const rows: UpdateRow[] = await db('event_updates')
      .select('id', 'claim_id', 'kind')
      .where('event_id', event.id)
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000);
    const frames: Frame[] = [];
    for (const row of rows) {
      const id = Number(row.id);
      if (row.kind !== 'claim') {
        const text = {} as Record<Lang, string>;
        for (const lang of LANGUAGES) {
          const t = translator(lang);
          const message = row.kind === 'ended' ? t('event.live.ended') : t('event.live_state.live');
          text[lang] = frame(row.kind, id, { state: row.kind, message });
        }
        frames.push({ id, ended: row.kind === 'ended', text });
        continue;
      }
      // Only what is public now: a claim in draft or review sends nothing but that it left the list.
      const claim = await pages.publicClaim(event.id, row.claim_id as number);
      const text = {} as Record<Lang, string>;
      if (claim) {
        for (const lang of LANGUAGES) {
          const t = translator(lang);
          text[lang] = frame('claim', id, {
            slug: claim.slug,
            url: `${baseUrl}/claims/${claim.slug}`,
            title: claim.title,
            status: claim.status,
            status_label: t(`status.${claim.status}`),
            kind: claim.kind,
            kind_label: t(`kind.${claim.kind}`),
            moment: claim.moment,
            candidate: claim.candidate_name,
            running_mate: claim.candidate_running_mate,
          });
        }
      } else {
        const gone: { slug: string } | undefined = await db('claims')
          .select('slug')
          .where({ id: row.claim_id })
          .whereIn('workflow_state', ['published', 'retracted'])
          .first();
        // A claim that left the list says so by its slug; one never public sends only its id, so that
        // the reader's position moves past it.
        const slug = gone?.slug;
        for (const lang of LANGUAGES) {
          text[lang] = slug
            ? frame('removed', id, { slug, url: `${baseUrl}/claims/${slug}` })
            : `id: ${id}\n\n`;
        }
      }
      frames.push({ id, ended: false, text });
    }
    return frames;
  }

  function release(reader: Reader, channel: Channel) {
    if (!channel.readers.delete(reader)) return;
    open -= 1;
    const left = (perIp.get(reader.ip) ?? 1) - 1;
    if (left <= 0) perIp.delete(reader.ip);
    else perIp.set(reader.ip, left);
    if (channel.readers.size === 0) channels.delete(channel.eventId);
  }

  function send(channel: Channel, frames: Frame[]) {
    for (const reader of [...channel.readers]) {
      for (const f of frames) {
        if (f.id <= reader.cursor) continue;
        reader.res.write(f.text[reader.lang]);
        reader.cursor = f.id;
        if (f.ended) {
          release(reader, channel);
          reader.res.end();
          break;
        }
      }
    }
  }

  /** Reads what the event's readers lack and sends it; one read at a time per event. */
  async function pump(channel: Channel): Promise<void> {
    if (channel.reading) {
      channel.again = true;
      return;
    }
    channel.reading = true;
    try {
      do {
        channel.again = false;
        if (channel.readers.size === 0) break;
        const from = Math.min(...[...channel.readers].map((r) => r.cursor));
        const frames = await framesAfter({ id: channel.eventId }, from);
        send(channel, frames);
        if (frames.length === 1000) channel.again = true;
      } while (channel.again);
    } catch (err) {
      options.logger.warn({ err, event: channel.slug }, 'event stream: reading the updates failed');
    } finally {
      channel.reading = false;
    }
  }

  const pumpAll = () => {
    for (const channel of channels.values()) void pump(channel);
  };
  const unsubscribe = options.feed?.subscribe((table) => {
    if (table === undefined || table === 'event_updates') pumpAll();
  });
  // Without notifications (none configured, or the listening connection down), read on a timer.
  const deaf = setInterval(() => {
    if (!options.feed?.live) pumpAll();
  }, POLL_WHEN_DEAF_MS);
  deaf.unref();
  const heartbeat = setInterval(() => {
    for (const channel of channels.values())
      for (const reader of channel.readers) reader.res.write(': ♥\n\n');
  }, options.heartbeatMs);
  heartbeat.unref();
  // A server shutting down ends its streams (readers reconnect, to another instance), so that it can stop.
  const lifecycle = setInterval(() => {
    if (options.lifecycle.accepting) return;
    for (const channel of [...channels.values()]) {
      for (const reader of [...channel.readers]) {
        release(reader, channel);
        reader.res.end();
      }
    }
  }, LIFECYCLE_CHECK_MS);
  lifecycle.unref();

  return {
    /** Open streams now (for tests and the benchmark). */
    get open() {
      return open;
    },

    /** Answers /events/:slug/stream for `event`; the reader's last id from Last-Event-ID or ?last_id. */
    attach(req: Request, res: Response, event: PublicEvent): boolean {
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      if ((perIp.get(ip) ?? 0) >= options.perIp) return false;
      const given =
        req.get('Last-Event-ID') ?? (typeof req.query.last_id === 'string' ? req.query.last_id : '');
      const cursor = /^\d{1,15}$/.test(given) ? Number(given) : 0;
      res.status(200);
      res.set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        // no-transform: the compression middleware leaves the stream alone, so each frame goes out at once.
        'Cache-Control': 'no-cache, no-store, no-transform',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      req.socket.setNoDelay(true);
      req.socket.setTimeout(0);

      const reader: Reader = { res, lang: req.lang, ip, cursor };
      let channel = channels.get(event.id);
      if (!channel) {
        channel = { eventId: event.id, slug: event.slug, readers: new Set(), reading: false, again: false };
        channels.set(event.id, channel);
      }
      channel.readers.add(reader);
      open += 1;
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      const joined = channel;
      res.on('close', () => release(reader, joined));
      // What the reader missed comes at once; a stream of an event that has ended then says so and closes.
      void pump(joined).then(() => {
        if (event.live_state !== 'ended' || !joined.readers.has(reader)) return;
        const t = translator(reader.lang);
        res.write(frame('ended', reader.cursor, { state: 'ended', message: t('event.live.ended') }));
        release(reader, joined);
        res.end();
      });
      return true;
    },

    close() {
      unsubscribe?.();
      clearInterval(deaf);
      clearInterval(heartbeat);
      clearInterval(lifecycle);
      for (const channel of [...channels.values()]) {
        for (const reader of [...channel.readers]) {
          release(reader, channel);
          reader.res.end();
        }
      }
    },
  };
}

export type EventStreams = ReturnType<typeof eventStreams>;
