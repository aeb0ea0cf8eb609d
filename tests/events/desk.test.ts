import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, createClaim } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { html } from '../public/html';
import { createEvent } from './helpers';
import { openStream, serve } from './sse';

function text(element: { textContent: string | null } | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('the live desk', () => {
  const ctx = useNewsroomApp();
  let server: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    server = await serve(ctx.app);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function setUp() {
    const ana = await signInAs(ctx.app, ctx.db, 'reporter', { display_name: 'Ana Reporter' });
    const budi = await signInAs(ctx.app, ctx.db, 'reporter', { display_name: 'Budi Reporter' });
    const candidate = await createCandidate(ctx.db, { name: 'Calon Meja' });
    const event = await createEvent(ctx.db, { election_id: candidate.election_id, live_state: 'live' });
    const claim = (
      title: string,
      workflow_state: 'draft' | 'in_review' | 'published',
      moment: string,
      by: number,
    ) =>
      createClaim(ctx.db, {
        candidate_id: candidate.id,
        event_id: event.id,
        title,
        workflow_state,
        moment,
        created_by: by,
      });
    const late = await claim('Klaim menit dua puluh', 'published', '00:20:00', ana.user.id);
    const early = await claim('Klaim menit tiga', 'draft', '00:03:00', budi.user.id);
    const middle = await claim('Klaim menit sepuluh', 'in_review', '00:10:00', ana.user.id);
    return { ana, budi, event, late, early, middle };
  }

  it('lists everything logged for the event in the order said, drafts included, with who and what state', async () => {
    const { ana, event } = await setUp();
    const page = await ana.get(`/newsroom/events/${event.id}/desk`).expect(200);
    const rows = [...html(page.text).querySelectorAll('.nr-desk tbody tr')].map((tr) => text(tr));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/00:03:00 Klaim menit tiga.*Budi Reporter Tercatat/);
    expect(rows[1]).toMatch(/00:10:00 Klaim menit sepuluh.*Ana Reporter Dalam tinjauan/);
    expect(rows[2]).toMatch(/00:20:00 Klaim menit dua puluh.*Ana Reporter Terbit/);
  });

  it('the reporter checking a claim sees it as their own on the desk: “Stop checking”, not “Take over”', async () => {
    const { ana, event, early } = await setUp();
    await ana.post(`/newsroom/claims/${early.id}/check`, { event_id: event.id }).expect(303);
    for (const path of [`/newsroom/events/${event.id}/desk`, `/newsroom/events/${event.id}/desk?part=rows`]) {
      const page = await ana.get(path).expect(200);
      const row = html(page.text).querySelector(`#desk-claim-${early.id}`);
      expect(text(row)).toContain('Sedang diperiksa Ana Reporter');
      expect(text(row?.querySelector('button'))).toBe('Berhenti memeriksa');
      expect(row?.querySelector('form')?.getAttribute('action')).toBe(`/newsroom/claims/${early.id}/uncheck`);
    }
  });

  it('“I’m checking this” shows who checks; a second reporter must take over knowingly', async () => {
    const { ana, budi, event, early } = await setUp();
    await ana.post(`/newsroom/claims/${early.id}/check`, { event_id: event.id }).expect(303);
    const seen = await budi.get(`/newsroom/events/${event.id}/desk`).expect(200);
    const row = html(seen.text).querySelector(`#desk-claim-${early.id}`);
    expect(text(row)).toContain('Sedang diperiksa Ana Reporter');
    expect(text(row)).toContain('Ambil alih dari Ana Reporter');
    // Without saying so, Budi cannot take it unawares.
    const refused = await budi.post(`/newsroom/claims/${early.id}/check`, { event_id: event.id }).expect(409);
    expect(refused.text).toContain('sedang diperiksa orang lain');
    expect((await ctx.db('claim_checks').where({ claim_id: early.id }).first()).user_id).toBe(ana.user.id);
    await budi.post(`/newsroom/claims/${early.id}/check`, { event_id: event.id, take_over: '1' }).expect(303);
    expect((await ctx.db('claim_checks').where({ claim_id: early.id }).first()).user_id).toBe(budi.user.id);
    await budi.post(`/newsroom/claims/${early.id}/uncheck`, { event_id: event.id }).expect(303);
    expect(await ctx.db('claim_checks').where({ claim_id: early.id })).toHaveLength(0);
    const audit = await ctx
      .db('audit_log')
      .where({ entity: 'claim', entity_id: early.id })
      .orderBy('id')
      .pluck('action');
    expect(audit).toEqual(['claim.check', 'claim.check_take_over', 'claim.check_stop']);
    // A form without its CSRF token changes nothing.
    await ana.agent
      .post(`/newsroom/claims/${early.id}/check`)
      .type('form')
      .send(`event_id=${event.id}`)
      .expect(403);
  });

  it('is for the newsroom only', async () => {
    const { event } = await setUp();
    const res = await fetch(`${server.url}/newsroom/events/${event.id}/desk`, { redirect: 'manual' });
    expect(res.status).toBe(303);
  });

  it('tells an open desk when something changed, by any writer', async () => {
    const { ana, event, early } = await setUp();
    const session = await signInOverHttp(server.url, ana.user);
    const stream = await openStream(`${server.url}/newsroom/events/${event.id}/desk/stream`, {
      Cookie: session,
    });
    expect(stream.status).toBe(200);
    await ctx.db('claims').where({ id: early.id }).update({ title: 'Judul baru', updated_at: new Date() });
    const changed = await stream.next((f) => f.event === 'changed');
    expect(JSON.parse(changed.data)).toEqual({ event: event.id });
    expect(stream.raw).not.toContain('Judul baru');
    stream.close();
  });
});

/** Signs in over real HTTP (the /login form and its CSRF token) and gives the cookies to send. */
async function signInOverHttp(url: string, user: { email: string; password: string }): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
  };
  const header = () => [...cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  const form = await fetch(`${url}/login`);
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const done = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: header() },
    body: new URLSearchParams({ email: user.email, password: user.password, _csrf: csrf }).toString(),
  });
  keep(done);
  return header();
}
