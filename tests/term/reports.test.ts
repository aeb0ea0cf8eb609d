import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { approveStatusChange } from '../helpers/public-factories';

async function sqlState(work: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('milestone reports', () => {
  const ctx = useNewsroomApp();

  /** A ticket with two promises published 40 days ago, one rated in progress 30 days ago. */
  async function ticketWithHistory() {
    const candidate = await createCandidate(ctx.db);
    const long = new Date(Date.now() - 40 * DAY);
    const school = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      published_at: long,
      title: 'Sekolah gratis',
    });
    const road = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      published_at: long,
      title: 'Jalan mulus',
    });
    await createClaim(ctx.db, { kind: 'statement', candidate_id: candidate.id, published_at: long });
    const evidence = await createEvidence(ctx.db, { claim_id: school.id });
    await approveStatusChange(ctx.db, {
      claim_id: school.id,
      from: 'not_rated',
      to: 'in_progress',
      evidence_ids: [evidence.id],
      approved_at: new Date(Date.now() - 30 * DAY),
    });
    return { candidate, school, road, evidence };
  }

  function rows(html: string): [string, string][] {
    const table = html.match(/<table class="data report-promises">[\s\S]*?<\/table>/)?.[0] ?? '';
    return [...table.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a><\/th><td>([^<]+)<\/td>/g)].map(
      (m) => [m[1]!, m[2]!],
    );
  }

  it('freezes the scoreboard and every promise’s status at its date; later changes do not move it', async () => {
    const { candidate, school, road, evidence } = await ticketWithHistory();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const asOf = isoDay(Date.now() - 20 * DAY);
    await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        milestone: '100_days',
        title: '100 hari',
        as_of: asOf,
        intro: 'Rapor **pertama**. <script>alert(1)</script>',
      })
      .expect(303);
    const url = `/candidates/${candidate.slug}/reports/100-hari`;
    const first = await request(ctx.app).get(`${url}?lang=en`).expect(200);
    expect(first.text).toContain('<strong>pertama</strong>');
    expect(first.text).not.toContain('<script>alert(1)</script>');
    expect(rows(first.text)).toEqual([
      ['Sekolah gratis', 'In progress'],
      ['Jalan mulus', 'Not yet rated'],
    ]);
    expect(first.text).toContain('Promises (2)');

    // Afterwards: a status changes, a promise is retracted, a title is edited, a new promise is published.
    await approveStatusChange(ctx.db, {
      claim_id: school.id,
      from: 'in_progress',
      to: 'broken',
      evidence_ids: [evidence.id],
      reason: 'no_budget',
    });
    await ctx.db('claims').where({ id: road.id }).update({
      title: 'Judul baru',
      workflow_state: 'retracted',
      retracted_at: new Date(),
      retraction_reason: 'Salah kutip',
    });
    await createClaim(ctx.db, { kind: 'promise', candidate_id: candidate.id, title: 'Pasar baru' });
    const later = await request(ctx.app).get(`${url}?lang=en`).expect(200);
    expect(rows(later.text)).toEqual(rows(first.text));
    expect(later.text).toContain('Promises (2)');

    // And the row itself cannot be changed, whatever writes to the database.
    const report = await ctx.db('milestone_reports').where({ candidate_id: candidate.id }).first();
    expect(await sqlState(ctx.db('milestone_reports').where({ id: report.id }).update({ title: 'x' }))).toBe(
      '23001',
    );
    expect(await sqlState(ctx.db('milestone_reports').where({ id: report.id }).delete())).toBe('23001');

    // The next report says what changed since this one.
    await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        milestone: '1_year',
        title: '1 tahun',
        as_of: isoDay(Date.now()),
        intro: 'Rapor kedua.',
      })
      .expect(303);
    const second = await request(ctx.app)
      .get(`/candidates/${candidate.slug}/reports/1-tahun?lang=en`)
      .expect(200);
    expect(second.text).toContain('Compared with <a href="/candidates/');
    expect(second.text).toMatch(/Sekolah gratis<\/a>: In progress → Broken/);
    expect(second.text).toMatch(/Newly logged promises \(1\)[\s\S]*Pasar baru/);
    expect(second.text).toMatch(/No longer on the record \(1\)[\s\S]*Jalan mulus/);
    expect(rows(second.text)).toContainEqual(['Sekolah gratis', 'Broken']);
  });

  it('refuses a date in the future or not after the previous report, and a reporter, with nothing stored', async () => {
    const { candidate } = await ticketWithHistory();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const fields = { milestone: '100_days', title: 'Rapor', intro: 'Pengantar.' };
    await reporter
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, { ...fields, as_of: isoDay(Date.now()) })
      .expect(403);
    const future = await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new?lang=en`, {
        ...fields,
        as_of: isoDay(Date.now() + 2 * DAY),
      })
      .expect(400);
    expect(future.text).toContain('A report’s date cannot be in the future.');
    const unknown = await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        ...fields,
        milestone: 'seabad',
        as_of: isoDay(Date.now()),
      })
      .expect(400);
    expect(unknown.text).toContain('Milestone');
    await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        ...fields,
        as_of: isoDay(Date.now() - 5 * DAY),
      })
      .expect(303);
    const earlier = await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        ...fields,
        as_of: isoDay(Date.now() - 6 * DAY),
      })
      .expect(400);
    expect(earlier.text).toContain('A report’s date must come after this ticket’s previous report.');
    expect(await ctx.db('milestone_reports').where({ candidate_id: candidate.id })).toHaveLength(1);
  });

  it('is corrected only in public, and is listed on the candidate page, in the feed and in the sitemap', async () => {
    const { candidate } = await ticketWithHistory();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor
      .post(`/newsroom/candidates/${candidate.id}/reports/new`, {
        milestone: 'end_of_term',
        title: 'Akhir masa jabatan',
        as_of: isoDay(Date.now()),
        intro: 'Pengantar lama.',
      })
      .expect(303);
    const report = await ctx.db('milestone_reports').where({ candidate_id: candidate.id }).first();
    await editor.post(`/newsroom/reports/${report.id}/correct`, { note: ' ', intro: 'x' }).expect(400);
    await editor
      .post(`/newsroom/reports/${report.id}/correct`, {
        note: 'Angka anggaran diperbaiki.',
        intro: 'Pengantar baru.',
      })
      .expect(303);
    const url = `/candidates/${candidate.slug}/reports/${report.slug}`;
    const page = await request(ctx.app).get(url).expect(200);
    expect(page.text).toContain('Angka anggaran diperbaiki.');
    expect(page.text).toContain('Pengantar baru.');
    expect(page.text).not.toContain('Pengantar lama.');
    expect((await ctx.db('milestone_reports').where({ id: report.id }).first()).intro).toBe(
      'Pengantar lama.',
    );

    const candidatePage = await request(ctx.app).get(`/candidates/${candidate.slug}`).expect(200);
    expect(candidatePage.text).toContain(`href="${url}"`);
    const feed = await request(ctx.app).get('/feed.xml?lang=en').expect(200);
    expect(feed.text).toContain(`<id>https://kawal.test${url}</id>`);
    expect(feed.text).toContain('<title>Report: Akhir masa jabatan</title>');
    const sitemap = await request(ctx.app).get('/sitemap.xml').expect(200);
    expect(sitemap.text).toContain(`<loc>https://kawal.test${url}</loc>`);
    await request(ctx.app).get(`/candidates/${candidate.slug}/reports/tidak-ada`).expect(404);

    // Its share image, which the page's Open Graph tags name.
    expect(page.text).toContain(`<meta property="og:image" content="https://kawal.test${url}/share.png">`);
    const image = await request(ctx.app).get(`${url}/share.png`).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.body.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(image.body.toString('latin1')).toContain('Akhir masa jabatan: Keadaan per');
  });
});
