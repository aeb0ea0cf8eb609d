import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeedIfEmpty } from '../../src/lib/seed-runner';
import { useTestApp } from '../helpers/app';
import { html, listedClaimSlugs, text } from './html';
import { warmUp } from './warm-up';

describe('every public page and format renders the Samarinda 2024 seed, in Indonesian and English', () => {
  const ctx = useTestApp();
  warmUp(ctx);
  let claims: { slug: string; title: string; quote: string; kind: string }[];

  beforeAll(async () => {
    await loadSeedIfEmpty(ctx.db);
    claims = await ctx.db('claims').select('slug', 'title', 'quote', 'kind').orderBy('id');
  });

  it('home, election and candidate pages', async () => {
    for (const [lang, words] of [
      [
        'id',
        {
          count: 'Lihat semua klaim (8)',
          office: 'Jabatan',
          statements: 'Pernyataan (',
          day: 'Rabu, 27 November 2024',
        },
      ],
      [
        'en',
        {
          count: 'See all claims (8)',
          office: 'Office',
          statements: 'Statements (',
          day: 'Wednesday, 27 November 2024',
        },
      ],
    ] as const) {
      const home = html((await request(ctx.app).get(`/?lang=${lang}`).expect(200)).text);
      expect(text(home, '.election-card h3')).toContain('Pilkada Kota Samarinda 2024');
      expect(text(home, '.election-card')).toContain(words.count);
      expect(text(home, '.election-card .tickets')).toContain('Andi Harun – Saefuddin Zuhri');

      const election = html(
        (await request(ctx.app).get(`/elections/pilkada-kota-samarinda-2024?lang=${lang}`).expect(200)).text,
      );
      expect(text(election, '.facts')).toContain(words.office);
      expect(text(election, '.facts')).toContain(words.day);
      const captions = [...election.querySelectorAll('.scoreboard figcaption')].map((f) => f.textContent);
      expect(captions).toContain(`${words.statements}6)`);
      expect(election.querySelectorAll('.topic-list li')).toHaveLength(4);

      const candidate = html(
        (await request(ctx.app).get(`/candidates/andi-harun-saefuddin-zuhri?lang=${lang}`).expect(200)).text,
      );
      expect(text(candidate, 'h1')).toBe('Andi Harun – Saefuddin Zuhri');
      expect(candidate.querySelectorAll('.status-group .claim-card')).toHaveLength(8);
    }
  });

  it('the list, its search and every verdict page with the quote exactly as said', async () => {
    const list = html((await request(ctx.app).get('/claims?lang=en').expect(200)).text);
    expect(text(list, '.result-count')).toBe('8 claims');
    expect(listedClaimSlugs(list).sort()).toEqual(claims.map((c) => c.slug).sort());
    const search = html((await request(ctx.app).get('/claims?q=sederhana').expect(200)).text);
    expect(listedClaimSlugs(search)).toContain('opd-samarinda-dipangkas-dari-40-menjadi-30');

    for (const claim of claims) {
      for (const [lang, date, label] of [
        ['id', 'Senin, 4 November 2024', claim.kind === 'promise' ? 'Belum dinilai' : 'Belum diverifikasi'],
        ['en', 'Monday, 4 November 2024', claim.kind === 'promise' ? 'Not yet rated' : 'Not yet checked'],
      ] as const) {
        const doc = html((await request(ctx.app).get(`/claims/${claim.slug}?lang=${lang}`).expect(200)).text);
        expect(doc.querySelector('blockquote p')?.textContent).toBe(claim.quote);
        expect(text(doc, 'figcaption')).toContain(date);
        expect(text(doc, '.rating')).toContain(label);
        expect(text(doc, '.source')).toContain('Tribun Kaltim');
        // Unrated: no ClaimReview yet.
        expect(doc.querySelectorAll('script[type="application/ld+json"]')).toHaveLength(0);
      }
    }
  });

  it('the feed, sitemap, API, CSV and badges', async () => {
    const feed = await request(ctx.app).get('/feed.xml').expect(200);
    expect(feed.text).not.toContain('<entry>');
    const sitemap = await request(ctx.app).get('/sitemap.xml').expect(200);
    for (const claim of claims) expect(sitemap.text).toContain(`/claims/${claim.slug}</loc>`);
    const api = await request(ctx.app).get('/api/v1/claims?per_page=100&lang=en').expect(200);
    expect(api.body.meta.total).toBe(8);
    expect(api.body.data.map((c: { quote: string }) => c.quote).sort()).toEqual(
      claims.map((c) => c.quote).sort(),
    );
    const elections = await request(ctx.app).get('/api/v1/elections').expect(200);
    expect(elections.body.data[0]).toMatchObject({
      slug: 'pilkada-kota-samarinda-2024',
      scoreboard: { total: 8 },
    });
    const csv = await request(ctx.app).get('/claims.csv').buffer(true).expect(200);
    for (const claim of claims) expect(csv.text).toContain(claim.slug);
    const badge = await request(ctx.app)
      .get(`/claims/${claims[0]!.slug}/badge.svg?lang=en`)
      .buffer(true)
      .expect(200);
    expect(badge.body.toString('utf8')).toContain('Not yet checked');
  });
});
