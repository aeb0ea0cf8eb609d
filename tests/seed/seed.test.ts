import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadSeedIfEmpty } from '../../src/lib/seed-runner';
import { useTestApp } from '../helpers/app';

// The article the seed quotes, kept beside the seed (seeds/sources/) so that a clone can check it.
const ARTICLE = fs.readFileSync(
  path.resolve(
    import.meta.dirname,
    '../../seeds/sources/tribunkaltim-2024-11-04-debat-pilkada-samarinda.txt',
  ),
  'utf8',
);

/** What the article puts between quotation marks: the candidate's own words. */
const QUOTED_PASSAGES = [...ARTICLE.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');

describe('the Samarinda 2024 seed', () => {
  const ctx = useTestApp();

  it('loads into an empty database, once', async () => {
    expect(await loadSeedIfEmpty(ctx.db)).toBe(true);
    expect(await loadSeedIfEmpty(ctx.db)).toBe(false);
    expect(await ctx.db('claims').count({ n: '*' })).toEqual([{ n: 8 }]);
    expect(await ctx.db('elections').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('has the election and the only ticket on the ballot', async () => {
    const election = await ctx.db('elections').first();
    expect(election).toMatchObject({
      name: 'Pilkada Kota Samarinda 2024',
      office: 'Wali Kota Samarinda',
      voting_day: '2024-11-27',
    });
    const candidates = await ctx.db('candidates').where({ election_id: election.id });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      name: 'Andi Harun',
      running_mate: 'Saefuddin Zuhri',
      is_incumbent: true,
    });
  });

  it('quotes the article exactly, and flags what the article reports rather than quotes', async () => {
    const claims = await ctx.db('claims').orderBy('id');
    for (const claim of claims) {
      // Quotes in the article end with a comma inside the closing quotation mark; ours keep it.
      expect(ARTICLE, claim.slug).toContain(claim.quote);
      const quotedInArticle = QUOTED_PASSAGES.some((passage) => passage.includes(claim.quote));
      expect(claim.quote_is_paraphrase, claim.slug).toBe(!quotedInArticle);
    }
  });

  it('covers every checkable claim the article reports, each unrated, published and sourced', async () => {
    const claims = await ctx.db('claims').orderBy('id');
    const quotes = claims.map((c) => c.quote).join('\n');
    for (const needle of [
      '40 OPD',
      'kang emil',
      'tanpa KKN',
      'kompetensi dan kinerja',
      'dinas belajar',
      'e-kinerja',
    ]) {
      expect(quotes).toContain(needle);
    }
    // The debate is the first event page, and every claim is linked to it.
    const event = await ctx.db('events').where({ slug: 'debat-pilkada-samarinda-2024' }).first();
    expect(event).toMatchObject({
      name: 'Debat Pilkada Samarinda 2024',
      kind: 'debate',
      held_on: '2024-11-04',
    });
    for (const claim of claims) {
      expect(claim.event_id).toBe(event.id);
      expect(claim.status).toBe(claim.kind === 'promise' ? 'not_rated' : 'unverified');
      expect(claim.workflow_state).toBe('published');
      expect(claim).toMatchObject({
        said_on: '2024-11-04',
        source_publisher: 'Tribun Kaltim',
      });
      expect(ARTICLE).toContain(claim.source_title);
    }
    expect(new Set(claims.map((c) => c.kind))).toEqual(new Set(['promise', 'statement']));
    const withoutTopic = await ctx
      .db('claims as c')
      .leftJoin('claim_topics as ct', 'ct.claim_id', 'c.id')
      .whereNull('ct.topic_id')
      .select('c.slug');
    expect(withoutTopic).toEqual([]);
  });

  it('invents no verdict and no evidence', async () => {
    expect(await ctx.db('evidence').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await ctx.db('status_updates').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('shows on the home page and on each verdict page', async () => {
    const home = await request(ctx.app).get('/').expect(200);
    expect(home.text).toContain('Pilkada Kota Samarinda 2024');
    const claims = await ctx.db('claims');
    for (const claim of claims) {
      expect(home.text).toContain(`/claims/${claim.slug}`);
      const page = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
      expect(page.text).toContain('Tribun Kaltim');
    }
  });
});
