import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, createClaim } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { createEvent } from './helpers';
import { openStream, type SseFrame, type SseStream, serve } from './sse';

const isClaim = (slug: string) => (f: SseFrame) => f.event === 'claim' && JSON.parse(f.data).slug === slug;

describe('the live stream of an event', () => {
  const ctx = useNewsroomApp({ EVENT_STREAMS_PER_IP: '3', EVENT_STREAM_HEARTBEAT_MS: '300' });
  let server: Awaited<ReturnType<typeof serve>>;
  const open: SseStream[] = [];
  beforeAll(async () => {
    server = await serve(ctx.app);
  });
  // Each test starts with no stream open on the server (the per-address cap counts them).
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    const streams = ctx.app.get('eventStreams') as { open: number };
    await expect.poll(() => streams.open, { timeout: 5_000 }).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });
  async function stream(path: string, headers: Record<string, string> = {}) {
    const s = await openStream(`${server.url}${path}`, headers);
    open.push(s);
    return s;
  }

  async function liveDebate() {
    const candidate = await createCandidate(ctx.db, { name: 'Calon Siaran' });
    const event = await createEvent(ctx.db, { election_id: candidate.election_id, live_state: 'live' });
    const claim = (
      title: string,
      workflow_state: 'draft' | 'published' = 'draft',
      moment: string | null = null,
    ) =>
      createClaim(ctx.db, { candidate_id: candidate.id, event_id: event.id, title, workflow_state, moment });
    const publish = (id: number) =>
      ctx
        .db('claims')
        .where({ id })
        .update({ workflow_state: 'published', published_at: new Date(), updated_at: new Date() });
    return { candidate, event, claim, publish };
  }

  it('sends what is published, in order, from any writer, and never a draft', async () => {
    const { event, claim, publish } = await liveDebate();
    const s = await stream(`/events/${event.slug}/stream`);
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(s.headers['cache-control']).toContain('no-transform');
    expect(s.headers['x-accel-buffering']).toBe('no');
    const draft = await claim('Klaim draf rahasia');
    // A draft edited (by a writer other than the forms) is still a draft: nothing goes out.
    await ctx
      .db('claims')
      .where({ id: draft.id })
      .update({ title: 'Klaim draf rahasia diubah', updated_at: new Date() });
    const first = await claim('Klaim pertama terbit', 'draft', '00:10:00');
    const second = await claim('Klaim kedua terbit', 'draft', '00:05:00');
    await publish(first.id);
    await publish(second.id);
    // A status change of a published claim goes out too.
    await ctx.db('claims').where({ id: first.id }).update({ status: 'false', updated_at: new Date() });
    // Three updates: each sends the claim as it is when sent (so the first may already say 'false').
    await expect.poll(() => s.frames.filter((f) => f.event === 'claim').length, { timeout: 10_000 }).toBe(3);
    const claims = s.frames.filter((f) => f.event === 'claim');
    const rerated = claims[2]!;
    expect(claims.map((f) => JSON.parse(f.data).slug)).toEqual([first.slug, second.slug, first.slug]);
    const ids = claims.map((f) => Number(f.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(JSON.parse(claims[0]!.data)).toMatchObject({
      slug: first.slug,
      url: `https://kawal.test/claims/${first.slug}`,
      title: 'Klaim pertama terbit',
      moment: '00:10:00',
    });
    expect(JSON.parse(claims[1]!.data)).toMatchObject({
      status: 'unverified',
      status_label: 'Belum diverifikasi',
    });
    expect(JSON.parse(rerated.data).status_label).toBe('Keliru');
    expect(s.raw).not.toContain('rahasia');
    expect(s.raw).not.toContain(draft.slug);
  });

  it('speaks the reader’s language', async () => {
    const { event, claim, publish } = await liveDebate();
    const s = await stream(`/events/${event.slug}/stream?lang=en`);
    const c = await claim('Klaim berbahasa');
    await publish(c.id);
    const f = await s.next(isClaim(c.slug));
    expect(JSON.parse(f.data).status_label).toBe('Not yet checked');
  });

  it('replays what a reader missed from Last-Event-ID, and nothing it had', async () => {
    const { event, claim, publish } = await liveDebate();
    const s = await stream(`/events/${event.slug}/stream`);
    const a = await claim('Klaim A');
    await publish(a.id);
    const seen = await s.next(isClaim(a.slug));
    s.close();
    const b = await claim('Klaim B');
    const c = await claim('Klaim C');
    await publish(b.id);
    await publish(c.id);
    const again = await stream(`/events/${event.slug}/stream`, { 'Last-Event-ID': String(seen.id) });
    await again.next(isClaim(c.slug));
    expect(again.frames.filter((f) => f.event === 'claim').map((f) => JSON.parse(f.data).slug)).toEqual([
      b.slug,
      c.slug,
    ]);
    // The page's own starting point works the same way, as a query parameter.
    const fromPage = await stream(`/events/${event.slug}/stream?last_id=${seen.id}`);
    await fromPage.next(isClaim(c.slug));
    expect(fromPage.frames.filter((f) => f.event === 'claim')).toHaveLength(2);
    for (const x of [again, fromPage]) x.close();
  });

  it('keeps idle streams alive with heartbeats', async () => {
    const { event } = await liveDebate();
    const s = await stream(`/events/${event.slug}/stream`);
    await s.next((f) => f.comment && f.event === 'message' && !f.data);
    s.close();
  });

  it('caps the streams of one address with 429, and frees the place when one closes', async () => {
    const { event } = await liveDebate();
    const streams = ctx.app.get('eventStreams') as { open: number };
    const held = [];
    for (let i = 0; i < 3; i += 1) held.push(await stream(`/events/${event.slug}/stream`));
    expect(held.map((h) => h.status)).toEqual([200, 200, 200]);
    const refused = await stream(`/events/${event.slug}/stream`);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    held[0]!.close();
    await expect.poll(() => streams.open, { timeout: 5_000 }).toBe(2);
    const admitted = await stream(`/events/${event.slug}/stream`);
    expect(admitted.status).toBe(200);
    for (const h of [...held, admitted]) h.close();
    await expect.poll(() => streams.open, { timeout: 5_000 }).toBe(0);
  });

  it('says the event ended and closes when the desk ends it; a stream of an ended event closes at once', async () => {
    const { event } = await liveDebate();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const s = await stream(`/events/${event.slug}/stream`);
    await editor.post(`/newsroom/events/${event.id}/end`).expect(303);
    const ended = await s.next((f) => f.event === 'ended');
    expect(JSON.parse(ended.data).message).toBe('Siaran langsung acara ini sudah berakhir.');
    await s.ended;
    const late = await stream(`/events/${event.slug}/stream`, { 'Last-Event-ID': String(ended.id) });
    await late.next((f) => f.event === 'ended');
    await late.ended;
  });

  it('answers 404 for no such event', async () => {
    const s = await stream('/events/tidak-ada-acara/stream');
    expect(s.status).toBe(404);
  });
});
