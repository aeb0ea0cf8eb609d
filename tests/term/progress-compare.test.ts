import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { termProgress } from '../../src/features/term/progress';
import type { TermPromise } from '../../src/features/term/term.repository';
import { createCandidate, createClaim, createElection, createTopic } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { approveStatusChange } from '../helpers/public-factories';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function promise(id: number, deadline: string | null, status: TermPromise['status']): TermPromise {
  return {
    id,
    slug: `janji-${id}`,
    kind: 'promise',
    title: `Janji ${id}`,
    status,
    said_on: null,
    deadline,
    candidate_id: 1,
    candidate_name: 'Calon',
    candidate_slug: 'calon',
  };
}

describe('term progress', () => {
  it('counts the days run, and sorts open promises into overdue and due before the term ends', () => {
    const term = { start: '2025-02-20', end: '2030-02-20' };
    const promises = [
      promise(1, '2026-01-01', 'in_progress'),
      promise(2, '2026-01-01', 'kept'),
      promise(3, '2027-06-30', 'not_rated'),
      promise(4, '2031-01-01', 'not_rated'),
      promise(5, null, 'not_rated'),
      promise(6, '2026-06-01', 'stalled'),
    ];
    const p = termProgress(term, promises, '2026-12-02');
    expect(p).toMatchObject({ state: 'running', totalDays: 1826, elapsedDays: 650, percent: 36 });
    expect(p.overdue.map((x) => x.id)).toEqual([1]);
    expect(p.dueBeforeEnd.map((x) => x.id)).toEqual([3]);
    expect(termProgress(term, [], '2024-12-01')).toMatchObject({
      state: 'before',
      elapsedDays: 0,
      percent: 0,
    });
    expect(termProgress(term, [], '2031-12-01')).toMatchObject({
      state: 'over',
      elapsedDays: 1826,
      percent: 100,
    });
  });
});

describe('the winning ticket’s term, the election’s chart, and tickets compared', () => {
  const ctx = useNewsroomApp();

  it('an editor marks the winner; its candidate page shows the term run with today marked, overdue and due promises', async () => {
    const now = Date.now();
    const election = await createElection(ctx.db, {
      term_start: isoDay(now - 365 * DAY),
      term_end: isoDay(now + 4 * 365 * DAY),
    });
    const winner = await createCandidate(ctx.db, { election_id: election.id, ballot_number: 1 });
    const loser = await createCandidate(ctx.db, { election_id: election.id, ballot_number: 2 });
    const overdue = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: winner.id,
      deadline: isoDay(now - 10 * DAY),
      title: 'Pasar rakyat',
    });
    const due = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: winner.id,
      deadline: isoDay(now + 100 * DAY),
      title: 'Taman kota',
    });
    const kept = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: winner.id,
      deadline: isoDay(now - 20 * DAY),
      title: 'Lampu jalan',
    });
    await approveStatusChange(ctx.db, { claim_id: kept.id, from: 'not_rated', to: 'kept' });

    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.post(`/newsroom/elections/${election.id}/winner`, { candidate_id: loser.id }).expect(303);
    await editor.post(`/newsroom/elections/${election.id}/winner`, { candidate_id: winner.id }).expect(303);
    const stranger = await createCandidate(ctx.db);
    await editor.post(`/newsroom/elections/${election.id}/winner`, { candidate_id: stranger.id }).expect(400);
    expect(
      await ctx.db('candidates').where({ election_id: election.id, is_winner: true }).pluck('id'),
    ).toEqual([winner.id]);
    // One winner per election, in the database too.
    await expect(ctx.db('candidates').where({ id: loser.id }).update({ is_winner: true })).rejects.toThrow();

    const page = await request(ctx.app).get(`/candidates/${winner.slug}?lang=en`).expect(200);
    expect(page.text).toContain('The term so far');
    expect(page.text).toMatch(/The term is 20% over: day 365 of 1,825/);
    expect(page.text).toMatch(/<line class="progress-today" x1="20"/);
    expect(page.text).toMatch(
      /Promises past their deadline \(1\)<\/h3>\s*<ul class="deadline-list">\s*<li><a href="\/claims\/[^"]+">Pasar rakyat/,
    );
    expect(page.text).toMatch(
      /Due before the term ends \(1\)<\/h3>\s*<ul class="deadline-list">\s*<li><a href="\/claims\/[^"]+">Taman kota/,
    );
    const progress =
      page.text.match(/<section aria-labelledby="progress-heading"[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(progress).toContain('Taman kota');
    expect(progress).not.toContain('Lampu jalan');
    void overdue;
    void due;
    const other = await request(ctx.app).get(`/candidates/${loser.slug}?lang=en`).expect(200);
    expect(other.text).not.toContain('The term so far');
  });

  it('the election page charts its promises month by month, without script, with the numbers in a table', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const claim = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      said_on: '2026-10-02',
    });
    await approveStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'not_rated',
      to: 'in_progress',
      approved_at: new Date('2026-11-10T03:00:00Z'),
    });
    const page = await request(ctx.app).get(`/elections/${election.slug}?lang=en`).expect(200);
    expect(page.text).toContain('Promises month by month');
    expect(page.text).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect(page.text).toMatch(/<time datetime="2026-10">[^<]*<\/time><\/th><td>1<\/td><td>0<\/td>/);
    expect(page.text).toMatch(/<time datetime="2026-11">[^<]*<\/time><\/th><td>0<\/td><td>1<\/td>/);
  });

  it('compares the tickets side by side: scoreboards, promises by topic, overdue counts; or only those chosen', async () => {
    const election = await createElection(ctx.db);
    const [a, b, c] = [
      await createCandidate(ctx.db, { election_id: election.id, ballot_number: 1, name: 'Ani' }),
      await createCandidate(ctx.db, { election_id: election.id, ballot_number: 2, name: 'Budi' }),
      await createCandidate(ctx.db, { election_id: election.id, ballot_number: 3, name: 'Citra' }),
    ];
    const health = await createTopic(ctx.db, { name: 'Kesehatan' });
    await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: a.id,
      topic_ids: [health.id],
      deadline: '2020-01-01',
    });
    await createClaim(ctx.db, { kind: 'promise', candidate_id: a.id, topic_ids: [health.id] });
    await createClaim(ctx.db, { kind: 'promise', candidate_id: b.id });
    await createClaim(ctx.db, { kind: 'statement', candidate_id: b.id });

    const all = await request(ctx.app).get(`/elections/${election.slug}/compare?lang=en`).expect(200);
    expect(all.text.match(/class="compare-ticket"/g)).toHaveLength(3);
    expect(all.text).toContain('class="compare compare-3"');
    const topicRow = /Kesehatan<\/a><\/th>((?:<td>\d+<\/td>)+)<\/tr>/.exec(all.text);
    expect([...topicRow![1]!.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([2, 0, 0]);
    const overdue = [...all.text.matchAll(/<dt>Past their deadline<\/dt><dd>(\d+)<\/dd>/g)].map((m) =>
      Number(m[1]),
    );
    expect(overdue).toEqual([1, 0, 0]);

    const chosen = await request(ctx.app)
      .get(`/elections/${election.slug}/compare?candidate=${c.slug}&candidate=${a.slug}`)
      .expect(200);
    expect(chosen.text.match(/class="compare-ticket"/g)).toHaveLength(2);
    expect(chosen.text.indexOf('>Ani')).toBeLessThan(chosen.text.indexOf('>Citra'));
    expect(chosen.text).not.toContain('>Budi –');
    await request(ctx.app).get(`/elections/${election.slug}/compare?candidate=%3Cb%3E`).expect(400);
    await request(ctx.app).get('/elections/tidak-ada/compare').expect(404);
    const electionPage = await request(ctx.app).get(`/elections/${election.slug}`).expect(200);
    expect(electionPage.text).toContain(`href="/elections/${election.slug}/compare"`);
  });
});
