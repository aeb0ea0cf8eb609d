import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createElection } from '../helpers/factories';
import { idFromLocation, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { createEvent } from './helpers';

describe('events in the newsroom', () => {
  const ctx = useNewsroomApp();

  it('an editor creates an event and edits it; the audit log has both', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const election = await createElection(ctx.db);
    await editor
      .post('/newsroom/events/new', {
        election_id: election.id,
        kind: 'debate',
        name: 'Debat publik kedua',
        held_on: '2024-11-04',
        starts_at: '19:30',
        place: 'Hotel Mesra, Samarinda',
        organiser: 'KPU Kota Samarinda',
        video_url: 'https://www.youtube.com/watch?v=abc123',
      })
      .expect(303);
    const event = await ctx.db('events').where({ election_id: election.id }).first();
    expect(event).toMatchObject({
      slug: 'debat-publik-kedua',
      kind: 'debate',
      held_on: '2024-11-04',
      starts_at: '19:30:00',
      live_state: 'scheduled',
      created_by: editor.user.id,
    });
    const list = await editor.get('/newsroom/events').expect(200);
    expect(list.text).toContain('Debat publik kedua');
    const form = await editor.get(`/newsroom/events/${event.id}/edit`).expect(200);
    expect(form.text).toContain('value="Hotel Mesra, Samarinda"');
    await editor
      .post(`/newsroom/events/${event.id}/edit`, {
        election_id: election.id,
        kind: 'debate',
        name: 'Debat publik kedua Pilkada',
        held_on: '2024-11-04',
        version: event.version,
      })
      .expect(303);
    const after = await ctx.db('events').where({ id: event.id }).first();
    expect(after.name).toBe('Debat publik kedua Pilkada');
    expect(after.slug, 'a slug never changes').toBe('debat-publik-kedua');
    const audit = await ctx.db('audit_log').where({ entity: 'event', entity_id: event.id }).orderBy('id');
    expect(audit.map((a) => a.action)).toEqual(['event.create', 'event.update']);
    // A save against the old version is a conflict, not an overwrite.
    const stale = await editor
      .post(`/newsroom/events/${event.id}/edit`, {
        election_id: election.id,
        kind: 'rally',
        name: 'Lain',
        held_on: '2024-11-04',
        version: event.version,
      })
      .expect(409);
    expect(stale.text).toContain('Debat publik kedua Pilkada');
    expect((await ctx.db('events').where({ id: event.id }).first()).kind).toBe('debate');
  });

  it('refuses bad input with messages in the reader’s language and stores nothing', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const election = await createElection(ctx.db);
    const bad = {
      election_id: election.id,
      kind: 'concert',
      name: '',
      held_on: '2024-13-40',
      starts_at: '25:00',
      video_url: 'javascript:alert(1)',
    };
    const id = await editor.post('/newsroom/events/new', bad).expect(400);
    expect(id.text).toContain('Wajib diisi.');
    expect(id.text).toContain('Tulis jam yang benar');
    const en = await editor.post('/newsroom/events/new?lang=en', bad).expect(400);
    expect(en.text).toContain('Write a real time (HH:MM).');
    expect(en.text).toContain('Only complete http:// or https:// addresses.');
    expect(await ctx.db('events').where({ election_id: election.id })).toHaveLength(0);
  });

  it('only editors make and run events; every form needs its CSRF token', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const event = await createEvent(ctx.db);
    await reporter.get('/newsroom/events').expect(200);
    await reporter.get('/newsroom/events/new').expect(403);
    await reporter
      .post('/newsroom/events/new', {
        election_id: event.election_id,
        kind: 'debate',
        name: 'X',
        held_on: '2024-11-04',
      })
      .expect(403);
    await reporter.post(`/newsroom/events/${event.id}/live`).expect(403);
    await editor.agent.post(`/newsroom/events/${event.id}/live`).type('form').send('').expect(403);
    await request(ctx.app).post(`/newsroom/events/${event.id}/live`).expect(401);
    expect((await ctx.db('events').where({ id: event.id }).first()).live_state).toBe('scheduled');
  });

  it('the desk starts an event, ends it, and cannot end it twice', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const event = await createEvent(ctx.db);
    await editor.post(`/newsroom/events/${event.id}/live`).expect(303);
    const live = await ctx.db('events').where({ id: event.id }).first();
    expect(live.live_state).toBe('live');
    expect(live.live_started_at).toBeInstanceOf(Date);
    await editor.post(`/newsroom/events/${event.id}/end`).expect(303);
    expect((await ctx.db('events').where({ id: event.id }).first()).live_state).toBe('ended');
    const twice = await editor.post(`/newsroom/events/${event.id}/end?lang=en`).expect(409);
    expect(twice.text).toContain('This event is not live.');
    const updates = await ctx.db('event_updates').where({ event_id: event.id }).orderBy('id');
    expect(updates.map((u) => u.kind)).toEqual(['live', 'ended']);
    await editor.post('/newsroom/events/999999/live').expect(404);
  });

  it('the claim form picks an event, or makes one on the spot, and takes the moment', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const event = await createEvent(ctx.db, { election_id: candidate.election_id, name: 'Debat pertama' });
    const form = await reporter.get('/newsroom/claims/new').expect(200);
    expect(form.text).toContain(`<option value="${event.id}">Debat pertama`);
    const picked = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Dulu 40 OPD, sekarang 30 OPD.',
        event_id: event.id,
        moment: '42:17',
      })
      .expect(303);
    const first = await ctx
      .db('claims')
      .where({ id: idFromLocation(picked.headers.location) })
      .first();
    expect(first).toMatchObject({ event_id: event.id, moment: '00:42:17' });

    const spot = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'promise',
        quote: 'Kami akan membangun terowongan.',
        event: 'Wawancara TVRI Kaltim',
        event_held_on: '2024-10-20',
        moment: '01:02:03',
      })
      .expect(303);
    const second = await ctx
      .db('claims')
      .where({ id: idFromLocation(spot.headers.location) })
      .first();
    const made = await ctx.db('events').where({ id: second.event_id }).first();
    expect(made).toMatchObject({
      election_id: candidate.election_id,
      name: 'Wawancara TVRI Kaltim',
      kind: 'interview',
      held_on: '2024-10-20',
      created_by: reporter.user.id,
    });
    expect(second.moment).toBe('01:02:03');

    // The same name again is the same event, not a second one.
    await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'promise',
        quote: 'Kutipan lain dari wawancara.',
        event: 'Wawancara TVRI Kaltim',
      })
      .expect(303);
    expect(
      await ctx.db('events').where({ election_id: candidate.election_id, name: 'Wawancara TVRI Kaltim' }),
    ).toHaveLength(1);
  });

  it('refuses a bad moment and an event of another election, storing nothing', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const elsewhere = await createEvent(ctx.db);
    const before = await ctx.db('claims').count({ n: '*' }).first();
    const moment = await reporter
      .post('/newsroom/claims/new?lang=en', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Kutipan',
        moment: '1:99:00',
      })
      .expect(400);
    expect(moment.text).toContain('The moment in the event must read HH:MM:SS');
    const other = await reporter
      .post('/newsroom/claims/new?lang=id', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Kutipan',
        event_id: elsewhere.id,
      })
      .expect(400);
    expect(other.text).toContain('Acara ini bukan acara pemilihan yang dipilih.');
    expect(await ctx.db('claims').count({ n: '*' }).first()).toEqual(before);
  });

  it('editing a claim moves it to another event; renaming an event renames it on its claims’ pages', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const candidate = await createCandidate(ctx.db);
    const a = await createEvent(ctx.db, { election_id: candidate.election_id, name: 'Acara A' });
    const b = await createEvent(ctx.db, { election_id: candidate.election_id, name: 'Acara B' });
    const created = await editor
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Kutipan A',
        event_id: a.id,
      })
      .expect(303);
    const id = idFromLocation(created.headers.location);
    const edit = await editor.get(`/newsroom/claims/${id}/edit`).expect(200);
    expect(edit.text).toContain(`<option value="${a.id}" selected>`);
    const claim = await ctx.db('claims').where({ id }).first();
    await editor
      .post(`/newsroom/claims/${id}/edit`, {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Kutipan A',
        event_id: b.id,
        moment: '00:00:05',
        version: claim.version,
      })
      .expect(303);
    expect(await ctx.db('claims').where({ id }).first()).toMatchObject({
      event_id: b.id,
      moment: '00:00:05',
    });
    // The history names the event the claim moved from and to.
    const history = await editor.get(`/newsroom/claims/${id}/history`).expect(200);
    expect(history.text).toContain('<td>Acara A</td><td>Acara B</td>');
    await editor
      .post(`/newsroom/events/${b.id}/edit`, {
        election_id: candidate.election_id,
        kind: 'debate',
        name: 'Acara B (ulang)',
        held_on: '2024-11-04',
        version: b.version,
      })
      .expect(303);
    expect(await ctx.db('claims').where({ id }).first()).toMatchObject({ event_id: b.id });
    expect((await editor.get(`/newsroom/claims/${id}`).expect(200)).text).toContain(' · Acara B (ulang)');
  });
});
