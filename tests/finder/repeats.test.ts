import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('repeats', () => {
  const ctx = useNewsroomApp();

  async function setting() {
    const election = await createElection(ctx.db);
    const andi = await createCandidate(ctx.db, { election_id: election.id, name: 'Andi Uji' });
    const budi = await createCandidate(ctx.db, { election_id: election.id, name: 'Budi Uji' });
    const [rally] = await ctx
      .db('events')
      .insert({
        slug: `kampanye-${election.id}`,
        election_id: election.id,
        kind: 'rally',
        name: 'Kampanye akbar',
        held_on: '2024-11-10',
      })
      .returning(['id', 'slug']);
    const base = { election_id: election.id, candidate_id: andi.id, kind: 'statement' as const };
    const original = await createClaim(ctx.db, {
      ...base,
      status: 'false',
      title: 'OPD dipangkas dari 40 menjadi 30',
      said_on: '2024-11-04',
    });
    const atRally = await createClaim(ctx.db, {
      ...base,
      title: 'OPD dipangkas (kampanye)',
      said_on: '2024-11-10',
      event_id: rally!.id,
      moment: '00:12:30',
    });
    const draft = await createClaim(ctx.db, { ...base, workflow_state: 'draft', title: 'OPD lagi (draf)' });
    const third = await createClaim(ctx.db, {
      ...base,
      title: 'OPD lagi (wawancara)',
      said_on: '2024-11-12',
    });
    const others = await createClaim(ctx.db, { ...base, candidate_id: budi.id, title: 'Kata Budi' });
    return { original, atRally, draft, third, others, rally: rally! };
  }

  it('an editor links repeats by address, slug or number; the audit log records each; statuses stay their own', async () => {
    const { original, atRally, draft, third, others } = await setting();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.get(`/newsroom/claims/${atRally.id}/repeat`).expect(403);
    const overview = await editor.get(`/newsroom/claims/${atRally.id}`).expect(200);
    expect(overview.text).toContain(`href="/newsroom/claims/${atRally.id}/repeat"`);
    const form = await editor.get(`/newsroom/claims/${atRally.id}/repeat`).expect(200);
    expect(form.text).toContain('Bukan pengulangan.');

    await editor
      .post(`/newsroom/claims/${atRally.id}/repeat`, {
        repeat_of: `https://kawal.example/claims/${original.slug}`,
      })
      .expect(303);
    await editor.post(`/newsroom/claims/${draft.id}/repeat`, { repeat_of: String(original.id) }).expect(303);
    // A repeat of a repeat is linked to the first claim.
    await editor.post(`/newsroom/claims/${third.id}/repeat`, { repeat_of: atRally.slug }).expect(303);
    const rows = await ctx.db('claims').whereIn('id', [atRally.id, draft.id, third.id]).orderBy('id');
    expect(rows.map((r) => r.repeat_of)).toEqual([original.id, original.id, original.id]);
    expect((await ctx.db('claims').where({ id: original.id }).first()).status).toBe('false');
    expect(rows.map((r) => r.status)).toEqual(['unverified', 'unverified', 'unverified']);
    const audit = await ctx.db('audit_log').where({ action: 'claim.repeat', entity_id: atRally.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { repeat_of: null }, after: { repeat_of: original.id } });
    const originalForm = await editor.get(`/newsroom/claims/${original.id}/repeat`).expect(200);
    expect(originalForm.text).toContain(`href="/newsroom/claims/${third.id}"`);

    for (const [id, ref, message] of [
      [original.id, original.slug, 'Klaim tidak dapat menjadi pengulangan dirinya sendiri.'],
      [others.id, original.slug, 'Klaim itu diucapkan kandidat lain.'],
      [atRally.id, 'tidak-ada-klaim-ini', 'Klaim itu tidak ditemukan.'],
      [atRally.id, '<script>alert(1)</script>', 'Klaim itu tidak ditemukan.'],
      [original.id, String(others.id), 'Klaim itu diucapkan kandidat lain.'],
    ] as const) {
      const refused = await editor.post(`/newsroom/claims/${id}/repeat`, { repeat_of: ref }).expect(400);
      expect(refused.text).toContain(message);
      expect(refused.text).not.toContain('<script>alert(1)</script>');
    }
    const lone = await createClaim(ctx.db, { candidate_id: original.candidate_id, title: 'Sendiri' });
    const hasRepeats = await editor
      .post(`/newsroom/claims/${original.id}/repeat`, { repeat_of: lone.slug })
      .expect(400);
    expect(hasRepeats.text).toContain('sudah diulang oleh klaim lain');
    await editor.post(`/newsroom/claims/${third.id}/repeat`, { repeat_of: '' }).expect(303);
    expect((await ctx.db('claims').where({ id: third.id }).first()).repeat_of).toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'claim.repeat' })).toHaveLength(4);
  });

  it('the original’s page counts and lists its public repeats; a repeat links to the original and its verdict; so does the API', async () => {
    const { original, atRally, draft, third, rally } = await setting();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const publicApp = request(ctx.app);
    const before = await publicApp.get(`/claims/${original.slug}`).expect(200);
    expect(before.text).not.toContain('Diucapkan');
    for (const claim of [atRally, draft, third]) {
      await editor.post(`/newsroom/claims/${claim.id}/repeat`, { repeat_of: original.slug }).expect(303);
    }
    const page = await publicApp.get(`/claims/${original.slug}`).expect(200);
    expect(page.text).toContain('Diucapkan 3 kali');
    expect(page.text).toContain(`href="/claims/${atRally.slug}"`);
    expect(page.text).toContain('Kampanye akbar, 10 November 2024, 00:12:30');
    expect(page.text).toContain(`href="/claims/${third.slug}"`);
    expect(page.text).not.toContain(`href="/claims/${draft.slug}"`);
    const repeat = await publicApp.get(`/claims/${atRally.slug}?lang=en`).expect(200);
    expect(repeat.text).toContain('This claim was said again');
    expect(repeat.text).toContain(`href="/claims/${original.slug}"`);
    expect(repeat.text).toMatch(/the first claim’s verdict:.*False/s);

    const api = await publicApp.get(`/api/v1/claims/${original.slug}`).expect(200);
    expect(api.body.data.repeat_of).toBeNull();
    expect(api.body.data.repeats.map((r: { slug: string }) => r.slug)).toEqual([atRally.slug, third.slug]);
    expect(api.body.data.repeats[0]).toMatchObject({
      said_on: '2024-11-10',
      moment: '00:12:30',
      status: 'unverified',
      event: { slug: rally.slug, name: 'Kampanye akbar' },
    });
    const repeatApi = await publicApp.get(`/api/v1/claims/${atRally.slug}`).expect(200);
    expect(repeatApi.body.data.repeat_of).toMatchObject({ slug: original.slug, status: 'false' });
    expect(repeatApi.body.data.repeats).toEqual([]);
  });
});
