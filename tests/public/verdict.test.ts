import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createClaim, createEvidence } from '../helpers/factories';
import {
  addCorrection,
  approveStatusChange,
  createRatedClaim,
  hideEvidence,
  proposeStatusChange,
  rejectStatusChange,
} from '../helpers/public-factories';
import { type Doc, html, text } from './html';
import { warmUp } from './warm-up';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON-LD, read field by field in the assertions
function claimReviews(doc: Doc): Record<string, any>[] {
  return [...doc.querySelectorAll('script[type="application/ld+json"]')]
    .map((s) => JSON.parse(s.textContent ?? ''))
    .filter((data) => data['@type'] === 'ClaimReview');
}

describe('the verdict page', () => {
  const ctx = useTestApp({ NEWSROOM_NAME: 'Redaksi Uji' });
  warmUp(ctx);

  it('shows the timeline of published status changes, newest first, each with its note, date and evidence', async () => {
    const { claim, evidence } = await createRatedClaim(ctx.db, {
      kind: 'promise',
      status: 'in_progress',
      note: 'Anggaran sudah disahkan DPRD.',
      evidence: [{ title: 'APBD 2025 disahkan', stance: 'supports' }],
    });
    const later = await createEvidence(ctx.db, {
      claim_id: claim.id,
      title: 'Proyek selesai',
      stance: 'supports',
    });
    await approveStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'in_progress',
      to: 'kept',
      note: 'Jembatan diresmikan.',
      evidence_ids: [later.id],
    });
    await proposeStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'kept',
      to: 'broken',
      note: 'Usulan belum ditinjau',
    });
    await rejectStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'kept',
      to: 'stalled',
      note: 'Usulan yang ditolak',
    });

    const res = await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200);
    const doc = html(res.text);
    const entries = [...doc.querySelectorAll('.timeline > li')];
    expect(entries).toHaveLength(2);
    expect(entries[0]?.querySelector('h3')?.textContent).toBe('In progress → Kept');
    expect(entries[0]?.textContent).toContain('Jembatan diresmikan.');
    expect(entries[0]?.textContent).toContain('Proyek selesai');
    expect(entries[1]?.querySelector('h3')?.textContent).toBe('Not yet rated → In progress');
    expect(entries[1]?.textContent).toContain('APBD 2025 disahkan');
    expect(entries[1]?.querySelector('time')?.textContent).toMatch(
      /^[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}$/,
    );
    expect(res.text).not.toContain('Usulan belum ditinjau');
    expect(res.text).not.toContain('Usulan yang ditolak');
    expect(text(doc, '.rating')).toContain('Kept');
    expect(evidence).toHaveLength(1);
  });

  it('lists visible evidence with publisher, date, stance, a nofollow link and the archive, and hides removed evidence', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false' });
    const [shown] = await ctx
      .db('evidence')
      .insert({
        claim_id: claim.id,
        url: 'https://bps.go.id/data',
        title: 'Data BPS Samarinda',
        publisher: 'BPS',
        published_on: '2024-10-01',
        archive_url: 'https://web.archive.org/web/2024/https://bps.go.id/data',
        excerpt: 'Jumlah OPD tetap 40.',
        stance: 'contradicts',
      })
      .returning('*');
    const hidden = await createEvidence(ctx.db, { claim_id: claim.id, title: 'Sumber yang dicabut' });
    await hideEvidence(ctx.db, hidden.id);

    const doc = html((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    const item = [...doc.querySelectorAll('.evidence')].find((li) =>
      li.textContent?.includes('Data BPS Samarinda'),
    );
    expect(item).toBeDefined();
    const link = item!.querySelector(`a[href="${shown.url}"]`);
    expect(link?.getAttribute('rel')).toBe('nofollow noopener noreferrer');
    expect(item!.textContent).toContain('BPS');
    expect(item!.textContent).toContain('1 Oktober 2024');
    expect(item!.textContent).toContain('Membantah');
    expect(item!.textContent).toContain('Jumlah OPD tetap 40.');
    expect(item!.querySelector(`a[href="${shown.archive_url}"]`)?.getAttribute('rel')).toBe(
      'nofollow noopener noreferrer',
    );
    expect(doc.body.textContent).not.toContain('Sumber yang dicabut');
  });

  it('shows a corrections notice with dates when a published verdict changed', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const plain = html((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    expect(plain.querySelector('.notice-correction')).toBeNull();

    await approveStatusChange(ctx.db, { claim_id: claim.id, from: 'true', to: 'mostly_true' });
    await addCorrection(ctx.db, {
      claim_id: claim.id,
      kind: 'verdict_changed',
      note: 'Angka anggaran dikoreksi.',
    });
    const doc = html((await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200)).text);
    const notice = text(doc, '.notice-correction');
    expect(notice).toContain('Verdict changed');
    expect(notice).toContain('Angka anggaran dikoreksi.');
    expect(doc.querySelector('.notice-correction time')?.getAttribute('datetime')).toMatch(
      /^\d{4}-\d{2}-\d{2}T/,
    );
  });

  it('keeps a retracted claim reachable with the retraction notice and reason, and no ClaimReview', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false' });
    await ctx
      .db('claims')
      .where({ id: claim.id })
      .update({
        workflow_state: 'retracted',
        retracted_at: new Date('2025-01-10T08:00:00Z'),
        retraction_reason: 'Kutipan ternyata diucapkan orang lain.',
      });
    await addCorrection(ctx.db, { claim_id: claim.id, kind: 'retracted', note: 'Ditarik.' });
    const res = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    const doc = html(res.text);
    expect(text(doc, '.notice-retracted')).toContain('Kutipan ternyata diucapkan orang lain.');
    expect(text(doc, '.notice-retracted')).toContain('10 Januari 2025');
    expect(claimReviews(doc)).toEqual([]);
  });

  it('carries one ClaimReview with every required and recommended property, rated 1 to 5 for statements', async () => {
    const mapping = { true: 5, mostly_true: 4, half_true: 3, misleading: 2, false: 1 } as const;
    for (const [status, value] of Object.entries(mapping)) {
      const { claim } = await createRatedClaim(ctx.db, {
        status: status as keyof typeof mapping,
        title: 'Jumlah OPD Pemkot Samarinda turun dari 40 menjadi 30 dalam satu periode jabatan wali kota',
        source_url: 'https://www.tribunnews.com/debat',
        said_on: '2024-11-04',
      });
      const [candidate] = await ctx.db('candidates').where({ id: claim.candidate_id });
      for (const lang of ['id', 'en']) {
        const doc = html((await request(ctx.app).get(`/claims/${claim.slug}?lang=${lang}`).expect(200)).text);
        const reviews = claimReviews(doc);
        expect(reviews).toHaveLength(1);
        const review = reviews[0]!;
        expect(review['@context']).toBe('https://schema.org');
        expect(review.url).toBe(`https://kawal.test/claims/${claim.slug}`);
        expect(review.claimReviewed.length).toBeLessThan(75);
        expect(review.claimReviewed.startsWith('Jumlah OPD Pemkot Samarinda')).toBe(true);
        expect(review.datePublished).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(review.author).toEqual({
          '@type': 'Organization',
          name: 'Redaksi Uji',
          url: 'https://kawal.test/',
        });
        expect(review.reviewRating).toEqual({
          '@type': 'Rating',
          alternateName: text(doc, '.rating .status').replace(/^[^:]+: /, ''),
          ratingValue: value,
          bestRating: 5,
          worstRating: 1,
        });
        expect(review.itemReviewed).toEqual({
          '@type': 'Claim',
          author: { '@type': 'Person', name: candidate.name },
          datePublished: '2024-11-04',
          appearance: { '@type': 'CreativeWork', url: 'https://www.tribunnews.com/debat' },
        });
      }
    }
  });

  it('gives the label in the page language and no number for promises and unproven statements', async () => {
    const { claim: promise } = await createRatedClaim(ctx.db, { kind: 'promise', status: 'broken' });
    const id = claimReviews(
      html((await request(ctx.app).get(`/claims/${promise.slug}`).expect(200)).text),
    )[0]!;
    expect(id.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Diingkari' });
    const en = claimReviews(
      html((await request(ctx.app).get(`/claims/${promise.slug}?lang=en`).expect(200)).text),
    )[0]!;
    expect(en.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Broken' });
    expect(en.itemReviewed.appearance).toBeUndefined();

    const { claim: unproven } = await createRatedClaim(ctx.db, { status: 'unproven' });
    const review = claimReviews(
      html((await request(ctx.app).get(`/claims/${unproven.slug}`).expect(200)).text),
    )[0]!;
    expect(review.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Tidak terbukti' });
  });

  it('carries no ClaimReview for an unrated claim', async () => {
    for (const kind of ['promise', 'statement'] as const) {
      const claim = await createClaim(ctx.db, { kind });
      const doc = html((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
      expect(doc.querySelectorAll('script[type="application/ld+json"]')).toHaveLength(0);
    }
  });

  it('keeps the JSON-LD block closed whatever the title says', async () => {
    const title = 'Judul </script><script>alert(1)</script> <!-- & "kutip"';
    const { claim } = await createRatedClaim(ctx.db, { status: 'false', title });
    const res = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    const block = res.text.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1] ?? '';
    expect(block).not.toMatch(/<|>/);
    expect(JSON.parse(block).claimReviewed).toBe(title);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(html(res.text).querySelectorAll('script')).toHaveLength(1);
  });

  it('has a canonical URL from BASE_URL, Open Graph and Twitter card meta, breadcrumbs, share links and an embed snippet', async () => {
    const { claim } = await createRatedClaim(ctx.db, {
      status: 'half_true',
      summary: 'Sebagian angka benar.',
    });
    const doc = html((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    const url = `https://kawal.test/claims/${claim.slug}`;
    expect(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')).toBe(url);
    const meta = (key: string) =>
      doc.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.getAttribute('content');
    expect(meta('og:url')).toBe(url);
    expect(meta('og:title')).toBe(claim.title);
    expect(meta('og:description')).toBe('Sebagian angka benar.');
    expect(meta('og:type')).toBe('article');
    expect(meta('twitter:card')).toBe('summary_large_image');
    const crumbs = [...doc.querySelectorAll('.breadcrumbs a')].map((a) => a.getAttribute('href'));
    expect(crumbs[0]).toBe('/');
    expect(crumbs[1]).toMatch(/^\/elections\//);
    expect(crumbs[2]).toMatch(/^\/candidates\//);
    const shares = [...doc.querySelectorAll('.share-links a')].map((a) => a.getAttribute('href') ?? '');
    expect(shares.length).toBeGreaterThanOrEqual(4);
    for (const href of shares) expect(href).toContain(encodeURIComponent(url));
    // A textarea's content is text: the browser shows the snippet with its entities decoded.
    const snippet = (doc.querySelector('#embed-code')?.innerHTML ?? '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#34;/g, '"')
      .replace(/&amp;/g, '&');
    expect(snippet).toContain(`<img src="${url}/badge.svg"`);
    expect(snippet).toContain(`<a href="${url}">`);
    expect(doc.querySelector('.verdict-head h1')?.textContent).toBe(claim.title);
  });

  it('renders the explanation as sanitised Markdown', async () => {
    const { claim } = await createRatedClaim(ctx.db, {
      status: 'false',
      explanation:
        '**Tebal**\n\n<img src=x onerror=alert(1)>\n\n[tautan](javascript:alert(1)) [BPS](https://bps.go.id)',
    });
    const doc = html((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    const explanation = doc.querySelector('.explanation')!;
    expect(explanation.querySelector('strong')?.textContent).toBe('Tebal');
    expect(explanation.querySelector('img')).toBeNull();
    expect(explanation.querySelector('a[href^="javascript"]')).toBeNull();
    expect(explanation.querySelector('a[href="https://bps.go.id"]')?.getAttribute('rel')).toBe(
      'nofollow noopener noreferrer',
    );
  });

  it('serves an embeddable SVG badge in the reader’s language, framable from anywhere', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'misleading' });
    const res = await request(ctx.app)
      .get(`/claims/${claim.slug}/badge.svg?lang=en`)
      .buffer(true)
      .expect(200);
    const svg = res.body.toString('utf8');
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg).toContain('Misleading');
    expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const id = await request(ctx.app).get(`/claims/${claim.slug}/badge.svg`).buffer(true).expect(200);
    expect(id.body.toString('utf8')).toContain('Menyesatkan');
    // Every other page still refuses to be framed.
    const page = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
