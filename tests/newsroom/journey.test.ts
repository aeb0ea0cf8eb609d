import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { idFromLocation, signInAs, useNewsroomApp } from '../helpers/newsroom';

/** The whole newsroom journey through the real forms, with real sessions, down to the public pages. */
describe('the newsroom journey', () => {
  const ctx = useNewsroomApp();

  it('reporter drafts and submits; editor publishes; reporter proposes a rating with evidence; editor approves; the public sees it', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');

    // The editor sets up the election and the ticket through the forms.
    await editor
      .post('/newsroom/elections/new', {
        name: 'Pilkada Kota Perjalanan 2024',
        office: 'Wali Kota Perjalanan',
        region: 'Kota Perjalanan',
        voting_day: '2024-11-27',
      })
      .expect(303);
    const election = await ctx.db('elections').where({ name: 'Pilkada Kota Perjalanan 2024' }).first();
    expect(election.slug).toBe('pilkada-kota-perjalanan-2024');
    await editor
      .post(`/newsroom/elections/${election.id}/candidates/new`, {
        name: 'Andi Perjalanan',
        running_mate: 'Saefuddin Perjalanan',
        is_incumbent: 'true',
        ballot_number: '1',
      })
      .expect(303);
    const candidate = await ctx.db('candidates').where({ election_id: election.id }).first();

    // Live during the debate: candidate, kind and quote are enough.
    const created = await reporter
      .post('/newsroom/claims/new', {
        election_id: election.id,
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Dulu 40 OPD, sekarang 30 OPD.',
        event: 'Debat publik Pilkada Kota Perjalanan',
        said_on: '2024-11-04',
      })
      .expect(303);
    const claimId = idFromLocation(created.headers.location);
    let claim = await ctx.db('claims').where({ id: claimId }).first();
    expect(claim).toMatchObject({
      workflow_state: 'draft',
      status: 'unverified',
      title: null,
      created_by: reporter.user.id,
    });
    const slug = claim.slug as string;
    await request(ctx.app).get(`/claims/${slug}`).expect(404);

    // Later: a title, then submit for review.
    await reporter
      .post(`/newsroom/claims/${claimId}/edit`, {
        version: claim.version,
        election_id: election.id,
        candidate_id: candidate.id,
        kind: 'statement',
        quote: claim.quote,
        event_id: claim.event_id,
        said_on: claim.said_on,
        title: 'Andi Perjalanan: jumlah OPD dipangkas dari 40 menjadi 30',
      })
      .expect(303);
    claim = await ctx.db('claims').where({ id: claimId }).first();
    await reporter.post(`/newsroom/claims/${claimId}/submit`, { version: claim.version }).expect(303);
    await reporter.post(`/newsroom/claims/${claimId}/publish`, {}).expect(403);

    // The editor finds it in the review queue and publishes it.
    const queue = await editor.get('/newsroom/review').expect(200);
    expect(queue.text).toContain('Andi Perjalanan: jumlah OPD dipangkas dari 40 menjadi 30');
    claim = await ctx.db('claims').where({ id: claimId }).first();
    await editor.post(`/newsroom/claims/${claimId}/publish`, { version: claim.version }).expect(303);
    claim = await ctx.db('claims').where({ id: claimId }).first();
    expect(claim.workflow_state).toBe('published');
    expect(claim.slug).toBe(slug);
    const published = await request(ctx.app).get(`/claims/${slug}`).expect(200);
    expect(published.text).toContain('Dulu 40 OPD, sekarang 30 OPD.');
    expect(published.text).toContain('Belum diverifikasi');

    // The reporter adds evidence and proposes a rating that rests on it.
    await reporter
      .post(`/newsroom/claims/${claimId}/evidence`, {
        url: 'https://samarindakota.go.id/perda-perangkat-daerah',
        title: 'Perda susunan perangkat daerah',
        publisher: 'Pemerintah Kota',
        published_on: '2021-06-01',
        stance: 'supports',
      })
      .expect(303);
    const evidence = await ctx.db('evidence').where({ claim_id: claimId }).first();
    await reporter
      .post(`/newsroom/claims/${claimId}/status`, {
        status: 'true',
        note: 'Perda 2021 memangkas perangkat daerah dari 40 menjadi 30.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    expect((await ctx.db('claims').where({ id: claimId }).first()).status).toBe('unverified');
    const stillUnrated = await request(ctx.app).get(`/claims/${slug}`).expect(200);
    expect(stillUnrated.text).not.toContain('Perda 2021 memangkas');
    const dashboard = await reporter.get('/newsroom').expect(200);
    expect(dashboard.text).toContain('Perda 2021 memangkas');

    // The editor approves it from the queue.
    const [proposal] = await ctx.db('status_updates').where({ claim_id: claimId });
    expect((await editor.get('/newsroom/review').expect(200)).text).toContain('Perda 2021 memangkas');
    await editor.post(`/newsroom/status-updates/${proposal.id}/approve`).expect(303);
    claim = await ctx.db('claims').where({ id: claimId }).first();
    expect(claim.status).toBe('true');
    const review = await ctx.db('status_reviews').where({ status_update_id: proposal.id }).first();
    expect(review).toMatchObject({
      decision: 'approved',
      applied_from_status: 'unverified',
      reviewed_by: editor.user.id,
    });

    // The public verdict page and the feed show it.
    const verdict = await request(ctx.app).get(`/claims/${slug}`).expect(200);
    expect(verdict.text).toContain('Benar');
    expect(verdict.text).toContain('Perda 2021 memangkas perangkat daerah dari 40 menjadi 30.');
    expect(verdict.text).toContain('Perda susunan perangkat daerah');
    const feed = await request(ctx.app).get('/feed.xml').expect(200);
    expect(feed.text).toContain(`/claims/${slug}`);
    expect(feed.text).toContain('Perda 2021 memangkas perangkat daerah dari 40 menjadi 30.');

    // Every step left its audit row, by the right person.
    const actions = (await ctx.db('audit_log').orderBy('id')).map((row) => `${row.action}:${row.actor_id}`);
    for (const expected of [
      `election.create:${editor.user.id}`,
      `candidate.create:${editor.user.id}`,
      `claim.create:${reporter.user.id}`,
      `claim.update:${reporter.user.id}`,
      `claim.submit:${reporter.user.id}`,
      `claim.publish:${editor.user.id}`,
      `evidence.create:${reporter.user.id}`,
      `status_update.propose:${reporter.user.id}`,
      `status_update.approve:${editor.user.id}`,
      `claim.status_change:${editor.user.id}`,
    ]) {
      expect(actions).toContain(expected);
    }

    // The history page tells the story.
    const history = await reporter.get(`/newsroom/claims/${claimId}/history`).expect(200);
    expect(history.text).toContain(reporter.user.display_name);
    expect(history.text).toContain(editor.user.display_name);
    expect(history.text).toContain('menerbitkan');
  }, 90_000);

  it('an editor changing a published verdict, then retracting, leaves public notices and a working URL', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const election = await ctx.db('elections').first();
    const candidate = await ctx.db('candidates').where({ election_id: election.id }).first();
    const created = await editor
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'promise',
        quote: 'Kami akan membangun terowongan kota.',
        title: 'Janji terowongan kota',
        after_save: 'open',
      })
      .expect(303);
    const claimId = idFromLocation(created.headers.location);
    await editor.post(`/newsroom/claims/${claimId}/publish`).expect(303);
    await editor
      .post(`/newsroom/claims/${claimId}/evidence`, {
        url: 'https://example.org/terowongan',
        title: 'Laporan proyek',
        stance: 'context',
      })
      .expect(303);
    const evidence = await ctx.db('evidence').where({ claim_id: claimId }).first();

    // An editor's own change is proposed and approved at once.
    await editor
      .post(`/newsroom/claims/${claimId}/status`, {
        status: 'kept',
        note: 'Terowongan diresmikan.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    expect((await ctx.db('claims').where({ id: claimId }).first()).status).toBe('kept');
    expect(await ctx.db('corrections').where({ claim_id: claimId })).toHaveLength(0);

    // Changing the published final verdict is a public correction.
    await editor
      .post(`/newsroom/claims/${claimId}/status`, {
        status: 'compromise',
        reason: 'no_budget',
        note: 'Hanya separuh terowongan yang dibuka.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    const [correction] = await ctx.db('corrections').where({ claim_id: claimId });
    expect(correction).toMatchObject({
      kind: 'verdict_changed',
      note: 'Hanya separuh terowongan yang dibuka.',
    });

    const slug = (await ctx.db('claims').where({ id: claimId }).first()).slug;
    const page = await request(ctx.app).get(`/claims/${slug}`).expect(200);
    expect(page.text).toContain('Hanya separuh terowongan yang dibuka.');

    // Retracted: still reachable, with the public reason.
    await editor.post(`/newsroom/claims/${claimId}/retract`, { retraction_reason: '' }).expect(400);
    await editor
      .post(`/newsroom/claims/${claimId}/retract`, { retraction_reason: 'Kutipan ternyata salah atribusi.' })
      .expect(303);
    const retracted = await request(ctx.app).get(`/claims/${slug}`).expect(200);
    expect(retracted.text).toContain('Kutipan ternyata salah atribusi.');
    expect((await ctx.db('corrections').where({ claim_id: claimId, kind: 'retracted' })).length).toBe(1);
    // And nothing more can change on it.
    await editor
      .post(`/newsroom/claims/${claimId}/status`, {
        status: 'broken',
        note: 'x',
        evidence_ids: [evidence.id],
      })
      .expect(409);
    await editor.get(`/newsroom/claims/${claimId}/edit`).expect(409);
  });
});
