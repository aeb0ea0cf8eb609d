import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeedIfEmpty } from '../../src/lib/seed-runner';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

// The founding case: the Tribun Kaltim article of the Samarinda 2024 debate, pasted into the finder with
// the seeded election chosen.
const ARTICLE = fs.readFileSync(
  path.resolve(
    import.meta.dirname,
    '../../seeds/sources/tribunkaltim-2024-11-04-debat-pilkada-samarinda.txt',
  ),
  'utf8',
);
/** Every passage the article puts between quotation marks: all of them are Andi Harun's. */
const DIRECT_QUOTES = [...ARTICLE.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.trim());

interface JsonSuggestion {
  quote: string;
  speaker: string | null;
  candidate: { id: number; name: string } | null;
  kind: string;
  score: number;
  reasons: { code: string; points: number; text: string }[];
  moment: string | null;
  is_paraphrase: boolean;
  duplicates: { id: number; slug: string; title: string; status: string; similarity: number }[];
}

describe('the finder on the founding article', () => {
  const ctx = useNewsroomApp();

  it('finds every direct quote of Andi Harun, attributed to his ticket, each a duplicate of its seeded claim, with "Dulu 40 OPD, sekarang 30 OPD." among the highest scores', async () => {
    await loadSeedIfEmpty(ctx.db);
    const election = await ctx.db('elections').where({ slug: 'pilkada-kota-samarinda-2024' }).first();
    const ticket = await ctx.db('candidates').where({ slug: 'andi-harun-saefuddin-zuhri' }).first();
    const seeded: { id: number; slug: string; quote: string }[] = await ctx
      .db('claims')
      .where({ election_id: election.id })
      .select('id', 'slug', 'quote');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');

    const response = await reporter
      .post('/newsroom/finder', { election_id: election.id, text: ARTICLE })
      .set('Accept', 'application/json')
      .expect(200);
    const suggestions: JsonSuggestion[] = response.body.suggestions;

    expect(DIRECT_QUOTES).toHaveLength(5);
    for (const quote of DIRECT_QUOTES) {
      const found = suggestions.find((s) => s.quote === quote);
      expect(found, quote).toBeDefined();
      expect(found!.candidate?.id, quote).toBe(ticket.id);
      expect(found!.is_paraphrase).toBe(false);
      // The seeded claims it matches: those whose quote is this passage or a part of it.
      const matching = seeded.filter((c) => quote.includes(c.quote.trim()) || c.quote.includes(quote));
      expect(matching.length, quote).toBeGreaterThan(0);
      for (const claim of matching) {
        expect(
          found!.duplicates.map((d) => d.slug),
          quote,
        ).toContain(claim.slug);
      }
    }

    const opd = suggestions.find((s) => s.quote === 'Dulu 40 OPD, sekarang 30 OPD.');
    expect(opd).toBeDefined();
    const topScore = Math.max(...suggestions.map((s) => s.score));
    expect(opd!.score).toBe(topScore);
    expect(opd!.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['figure', 'comparison']));
    expect(opd!.duplicates[0]).toMatchObject({
      slug: 'opd-samarinda-dipangkas-dari-40-menjadi-30',
      similarity: 1,
    });
    expect(opd!.candidate?.id).toBe(ticket.id);

    // Sorted by score, and nothing was written.
    const scores = suggestions.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(await ctx.db('claims').count({ n: '*' })).toEqual([{ n: seeded.length }]);
  });

  it('shows the same suggestions as a page, in Indonesian and in English, saying they are not verdicts', async () => {
    await loadSeedIfEmpty(ctx.db);
    const election = await ctx.db('elections').where({ slug: 'pilkada-kota-samarinda-2024' }).first();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const page = await reporter
      .post('/newsroom/finder', { election_id: election.id, text: ARTICLE })
      .expect(200);
    expect(page.text).toContain('bukan putusan');
    expect(page.text).toContain('Dulu 40 OPD, sekarang 30 OPD.');
    expect(page.text).toContain('Mungkin sudah tercatat');
    expect(page.text).toContain(
      'Penyederhanaan birokrasi: jumlah OPD Pemkot Samarinda turun dari 40 menjadi 30',
    );
    const english = await reporter
      .post('/newsroom/finder?lang=en', { election_id: election.id, text: ARTICLE })
      .expect(200);
    expect(english.text).toContain('not verdicts');
    expect(english.text).toContain('has a figure');
  });
});
