import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection } from '../helpers/factories';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

describe('the first public pages', () => {
  const ctx = useTestApp();

  it('the home page shows each election and its published claims, not its drafts', async () => {
    const election = await createElection(ctx.db, { name: 'Pilkada Kota Contoh 2024' });
    const candidate = await createCandidate(ctx.db, { election_id: election.id, name: 'Budi Contoh' });
    const published = await createClaim(ctx.db, { candidate_id: candidate.id, title: 'Klaim yang terbit' });
    const draft = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      title: 'Klaim draf',
      workflow_state: 'draft',
    });

    const res = await request(ctx.app).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toContain('Pilkada Kota Contoh 2024');
    expect(res.text).toContain('Budi Contoh');
    expect(res.text).toContain(`/claims/${published.slug}`);
    expect(res.text).not.toContain(draft.slug);
  });

  it('a verdict page shows the quote, who said it, where and when, the source and the status label in Indonesian', async () => {
    const claim = await createClaim(ctx.db, {
      kind: 'statement',
      status: 'unverified',
      quote: 'Dulu 40 OPD, sekarang 30 OPD <b>tebal</b>.',
      said_on: '2024-11-04',
      event: 'Debat Uji',
      source_publisher: 'Tribun Kaltim',
      source_title: 'Judul artikel',
      source_url: 'https://example.org/artikel',
    });
    const res = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    expect(res.text).toContain(`<blockquote lang="id"><p>${escapeHtml(claim.quote)}</p></blockquote>`);
    expect(res.text).not.toContain('<b>tebal</b>');
    expect(res.text).toContain('Senin, 4 November 2024');
    expect(res.text).toContain('Belum diverifikasi');
    expect(res.text).toContain('href="https://example.org/artikel"');
    expect(res.text).toContain('Tribun Kaltim');
  });

  it('speaks English with ?lang=en and remembers the choice in a cookie', async () => {
    const claim = await createClaim(ctx.db, { kind: 'promise', status: 'not_rated' });
    const en = await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Not yet rated');
    expect(en.text).toContain('Monday, 4 November 2024');
    const cookie = en.headers['set-cookie'];
    expect(String(cookie)).toMatch(/lang=en/);
    const again = await request(ctx.app).get(`/claims/${claim.slug}`).set('Cookie', 'lang=en').expect(200);
    expect(again.text).toContain('Not yet rated');
  });

  it('honours Accept-Language when no choice was made', async () => {
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    const res = await request(ctx.app)
      .get(`/claims/${claim.slug}`)
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .expect(200);
    expect(res.text).toContain('<html lang="en">');
  });

  it('answers 404 for a draft and an unknown claim, with a page in the reader’s language', async () => {
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });
    const res = await request(ctx.app).get(`/claims/${draft.slug}`).expect(404);
    expect(res.text).toContain('Halaman tidak ditemukan');
    const en = await request(ctx.app).get('/claims/tidak-ada?lang=en').expect(404);
    expect(en.text).toContain('Page not found');
  });

  it('sends strict security headers', async () => {
    const res = await request(ctx.app).get('/').expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('serves the stylesheet', async () => {
    const res = await request(ctx.app).get('/assets/site.css').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/css/);
  });
});
