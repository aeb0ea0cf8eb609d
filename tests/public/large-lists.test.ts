import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CANDIDATE_OPTIONS_LIMIT, COUNT_CAP } from '../../src/features/claims/claims.service';
import { useTestApp } from '../helpers/app';
import { createCandidate, createElection } from '../helpers/factories';
import { html, listedClaimSlugs, text } from './html';

/**
 * A newsroom's archive grows for years: the list page must stay as small and as quick at 100,000 claims as
 * at 1,000. Two things would otherwise grow with it: the count above the results and the candidate filter.
 */
describe('/claims over a large archive', () => {
  const ctx = useTestApp();

  it('counts matches only up to the cap, and then says "more than", in both languages and the API', async () => {
    const candidate = await createCandidate(ctx.db);
    const published = COUNT_CAP + 5;
    await ctx.db.raw(
      `INSERT INTO claims (slug, kind, title, quote, status, workflow_state, published_at, candidate_id, election_id)
       SELECT 'arsip-' || n, 'statement', 'Klaim arsip banjir ' || n, 'Kutipan arsip ' || n, 'unverified',
              'published', now(), ?, ?
       FROM generate_series(1, ?) AS n`,
      [candidate.id, candidate.election_id, published],
    );

    const id = html((await request(ctx.app).get('/claims?lang=id').expect(200)).text);
    expect(text(id, '.result-count')).toBe(`Lebih dari ${COUNT_CAP.toLocaleString('id')} klaim`);
    expect(listedClaimSlugs(id)).toHaveLength(20);
    const en = html((await request(ctx.app).get('/claims?lang=en&q=banjir').expect(200)).text);
    expect(text(en, '.result-count')).toBe(`More than ${COUNT_CAP.toLocaleString('en')} claims`);

    const api = await request(ctx.app).get('/api/v1/claims').expect(200);
    expect(api.body.meta).toMatchObject({ total: COUNT_CAP, total_exact: false });

    // Under the cap the count is exact.
    const few = html((await request(ctx.app).get('/claims?lang=en&q=banjir%205').expect(200)).text);
    expect(text(few, '.result-count')).toMatch(/^\d+ claims?$/);
    const exact = await request(ctx.app).get(
      `/api/v1/claims?candidate=${candidate.slug}&q=arsip%20${COUNT_CAP}`,
    );
    expect(exact.body.meta).toMatchObject({ total: 1, total_exact: true });
  });

  it('offers every candidate while there are few, and past the limit only those of the chosen election', async () => {
    const election = await createElection(ctx.db);
    const first = await createCandidate(ctx.db, { election_id: election.id, name: 'Calon Pertama' });
    const optionsOf = async (query: string) => {
      const doc = html((await request(ctx.app).get(`/claims?lang=en&${query}`).expect(200)).text);
      const values = [...doc.querySelectorAll('#f-candidate option')].map((o) => o.getAttribute('value'));
      return { values: values.filter((v) => v !== ''), hint: doc.querySelector('#f-candidate-hint') };
    };
    const counted = await ctx.db('candidates').count<{ n: number }[]>({ n: '*' }).first();
    expect(Number(counted?.n)).toBeLessThanOrEqual(CANDIDATE_OPTIONS_LIMIT);
    const few = await optionsOf('');
    expect(few.values).toContain(first.slug);
    expect(few.hint).toBeNull();

    // Many elections of many candidates later…
    const others = await createElection(ctx.db);
    await ctx.db.raw(
      `INSERT INTO candidates (slug, name, election_id)
       SELECT 'calon-banyak-' || n, 'Calon Banyak ' || n, ? FROM generate_series(1, ?) AS n`,
      [others.id, CANDIDATE_OPTIONS_LIMIT + 10],
    );
    const many = await optionsOf('');
    expect(many.values).toEqual([]);
    expect(many.hint?.textContent?.trim()).toBe('Choose an election first to pick one of its candidates.');

    // A chosen election offers its own candidates; a chosen candidate stays offered (and selected).
    const chosen = await optionsOf(`election=${election.slug}`);
    expect(chosen.values).toEqual([first.slug]);
    expect(chosen.hint).toBeNull();
    const linked = await optionsOf('candidate=calon-banyak-7');
    expect(linked.values).toEqual(['calon-banyak-7']);
    const page = html(
      (await request(ctx.app).get('/claims?lang=en&candidate=calon-banyak-7').expect(200)).text,
    );
    expect(page.querySelector('#f-candidate option[selected]')?.getAttribute('value')).toBe('calon-banyak-7');
    expect(text(page, '.active-filters')).toContain('Calon Banyak 7');
  });
});
