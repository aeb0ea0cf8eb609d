import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection, createTopic } from '../helpers/factories';
import { approveStatusChange, createRatedClaim } from '../helpers/public-factories';
import { html, text } from './html';
import { warmUp } from './warm-up';

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
  warmUp(ctx);

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

  it('serves the stylesheets: readers load the public one only, the sign-in page adds the newsroom one', async () => {
    const res = await request(ctx.app).get('/assets/site.css').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/css/);
    expect(res.text).not.toContain('.nr-nav');
    const newsroom = await request(ctx.app).get('/assets/newsroom.css').expect(200);
    expect(newsroom.text).toContain('.nr-nav');
    const home = await request(ctx.app).get('/').expect(200);
    expect(home.text).toContain('href="/assets/site.css"');
    expect(home.text).not.toContain('newsroom.css');
    const login = await request(ctx.app).get('/login').expect(200);
    expect(login.text).toContain('href="/assets/site.css"');
    expect(login.text).toContain('href="/assets/newsroom.css"');
  });

  it('the home page puts ongoing elections first, each with its scoreboard, then the latest verdict changes', async () => {
    const past = await createElection(ctx.db, {
      name: 'Pilkada Lama 2015',
      voting_day: '2015-12-09',
      term_start: '2016-02-17',
      term_end: '2021-02-17',
    });
    const ongoing = await createElection(ctx.db, { name: 'Pilkada Berjalan 2024', voting_day: '2010-01-01' });
    const candidate = await createCandidate(ctx.db, { election_id: ongoing.id });
    const { claim } = await createRatedClaim(ctx.db, {
      candidate_id: candidate.id,
      kind: 'promise',
      status: 'kept',
    });
    await createCandidate(ctx.db, { election_id: past.id });

    const doc = html((await request(ctx.app).get('/').expect(200)).text);
    const names = [...doc.querySelectorAll('.election-card h3 a')].map((a) => a.textContent);
    expect(names.indexOf('Pilkada Berjalan 2024')).toBeLessThan(names.indexOf('Pilkada Lama 2015'));
    const card = [...doc.querySelectorAll('.election-card')].find((c) =>
      c.textContent?.includes('Pilkada Berjalan'),
    );
    expect(card?.querySelector('.legend')?.textContent).toContain('Ditepati: 1 (100%)');
    expect(card?.querySelector('.tag')?.textContent).toBe('Sedang dipantau');
    const change = doc.querySelector('.change-list .change');
    expect(change?.querySelector('a')?.getAttribute('href')).toBe(`/claims/${claim.slug}`);
    expect(change?.textContent).toContain('Belum dinilai → Ditepati');
    expect(doc.querySelector('.lede a[href="/about"]')).not.toBeNull();
  });

  it('an election page shows each ticket’s scoreboard as a bar with the numbers written out, its topics and claims', async () => {
    const election = await createElection(ctx.db, { name: 'Pilkada Papan Skor' });
    const ani = await createCandidate(ctx.db, { election_id: election.id, name: 'Ani', ballot_number: 1 });
    const budi = await createCandidate(ctx.db, { election_id: election.id, name: 'Budi', ballot_number: 2 });
    const topic = await createTopic(ctx.db, { name: 'Transportasi' });
    await createRatedClaim(ctx.db, { candidate_id: ani.id, status: 'true', topic_ids: [topic.id] });
    await createRatedClaim(ctx.db, { candidate_id: ani.id, status: 'false' });
    await createRatedClaim(ctx.db, { candidate_id: ani.id, status: 'false' });
    await createClaim(ctx.db, { candidate_id: budi.id, kind: 'promise' });

    const res = await request(ctx.app).get(`/elections/${election.slug}?lang=en`).expect(200);
    const doc = html(res.text);
    expect(text(doc, 'h1')).toContain('Pilkada Papan Skor');
    const tickets = [...doc.querySelectorAll('.ticket')];
    expect(tickets.map((t) => t.querySelector('h3')?.textContent?.trim().split(' – ')[0])).toEqual([
      'Ani',
      'Budi',
    ]);
    const aniBoard = tickets[0]!;
    expect(aniBoard.querySelector('figcaption')?.textContent).toBe('Statements (3)');
    const legend = aniBoard.querySelector('.legend')?.textContent?.replace(/\s+/g, ' ');
    expect(legend).toContain('True: 1 (33%)');
    expect(legend).toContain('False: 2 (67%)');
    const bar = aniBoard.querySelector('svg.bar');
    expect(bar?.getAttribute('role')).toBe('img');
    expect(bar?.getAttribute('aria-label')).toBe('Statement: True 1 (33%), False 2 (67%)');
    expect([...(bar?.querySelectorAll('rect') ?? [])].map((r) => r.getAttribute('class'))).toEqual([
      'tone-good',
      'tone-bad',
    ]);
    expect(tickets[1]?.querySelector('figcaption')?.textContent).toBe('Promises (1)');
    expect(
      doc.querySelector(`.topic-list a[href="/claims?election=${election.slug}&topic=${topic.slug}"]`),
    ).not.toBeNull();
    expect(doc.querySelectorAll('#claims-heading ~ .claim-list .claim-card')).toHaveLength(4);
    await request(ctx.app).get('/elections/tidak-ada').expect(404);
  });

  it('a candidate page groups the claims by status on each scale', async () => {
    const candidate = await createCandidate(ctx.db, {
      name: 'Citra',
      running_mate: 'Dedi',
      party: 'Koalisi Uji',
    });
    const kept = await createRatedClaim(ctx.db, {
      candidate_id: candidate.id,
      kind: 'promise',
      status: 'kept',
    });
    const broken = await createRatedClaim(ctx.db, {
      candidate_id: candidate.id,
      kind: 'promise',
      status: 'broken',
    });
    const falseClaim = await createRatedClaim(ctx.db, { candidate_id: candidate.id, status: 'false' });
    await approveStatusChange(ctx.db, { claim_id: falseClaim.claim.id, from: 'false', to: 'misleading' });

    const doc = html((await request(ctx.app).get(`/candidates/${candidate.slug}`).expect(200)).text);
    expect(text(doc, 'h1')).toBe('Citra – Dedi');
    expect(text(doc, '.facts')).toContain('Koalisi Uji');
    const groups = [...doc.querySelectorAll('.status-group')].map((g) => ({
      heading: g.querySelector('h3')?.textContent?.replace(/\s+/g, ' ').trim(),
      slugs: [...g.querySelectorAll('.claim-title')].map((a) => a.getAttribute('href')),
    }));
    expect(groups).toEqual([
      { heading: 'Janji: Ditepati (1)', slugs: [`/claims/${kept.claim.slug}`] },
      { heading: 'Janji: Diingkari (1)', slugs: [`/claims/${broken.claim.slug}`] },
      { heading: 'Pernyataan: Menyesatkan (1)', slugs: [`/claims/${falseClaim.claim.slug}`] },
    ]);
    await request(ctx.app).get('/candidates/tidak-ada').expect(404);
  });

  it('a candidate page shows the newest ten claims of a status and links to the rest', async () => {
    const candidate = await createCandidate(ctx.db);
    for (let i = 0; i < 12; i += 1)
      await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise' });
    const doc = html((await request(ctx.app).get(`/candidates/${candidate.slug}?lang=en`).expect(200)).text);
    const group = doc.querySelector('.status-group');
    expect(group?.querySelector('h3')?.textContent).toContain('(12)');
    expect(group?.querySelectorAll('.claim-card')).toHaveLength(10);
    const more = group?.querySelector(`a[href="/claims?candidate=${candidate.slug}&status=not_rated"]`);
    expect(more?.textContent).toBe('See all of them (12)');
  });

  it('the about page explains both scales, the evidence rule and the corrections policy, in both languages', async () => {
    const id = html((await request(ctx.app).get('/about').expect(200)).text);
    expect(id.querySelectorAll('.scale-definitions > div')).toHaveLength(13);
    expect(text(id, '#scale-statement + p + dl')).toContain('Keliru');
    expect(text(id, '#scale-statement + p + dl')).toContain('(nilai ClaimReview 1 dari 5)');
    expect(text(id, 'body')).toContain('setidaknya satu bukti');
    const en = html((await request(ctx.app).get('/about?lang=en').expect(200)).text);
    expect(text(en, 'h1')).toBe('How we rate');
    expect(text(en, '#scale-promise + p + dl')).toContain('The promise was kept as made.');
    expect(text(en, '#corrections-policy + p')).toContain('corrections notice');
  });

  it('every public page has one h1, headings in order, landmarks, and no inline script or style', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const candidate = await ctx.db('candidates').where({ id: claim.candidate_id }).first();
    const election = await ctx.db('elections').where({ id: claim.election_id }).first();
    const urls = [
      '/',
      '/claims',
      '/claims?q=tidakada',
      '/claims?status=benar',
      `/claims/${claim.slug}`,
      `/elections/${election.slug}`,
      `/candidates/${candidate.slug}`,
      '/about',
    ];
    for (const lang of ['id', 'en']) {
      for (const url of urls) {
        const res = await request(ctx.app).get(url).set('Accept-Language', lang);
        const doc = html(res.text);
        expect(doc.documentElement.getAttribute('lang'), url).toBe(lang);
        expect(doc.querySelectorAll('h1'), url).toHaveLength(1);
        let previous = 1;
        for (const heading of doc.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
          const level = Number(heading.tagName.slice(1));
          expect(level, `${url}: ${heading.textContent}`).toBeLessThanOrEqual(previous + 1);
          previous = level;
        }
        for (const landmark of ['header', 'nav', 'main', 'footer'])
          expect(doc.querySelector(landmark), url).not.toBeNull();
        expect(doc.querySelectorAll('[style]'), url).toHaveLength(0);
        expect(doc.querySelectorAll('style'), url).toHaveLength(0);
        for (const script of doc.querySelectorAll('script')) {
          expect(script.getAttribute('type'), url).toBe('application/ld+json');
        }
        for (const img of doc.querySelectorAll('img')) expect(img.getAttribute('alt'), url).toBeTruthy();
        for (const field of doc.querySelectorAll('input:not([type="hidden"]), select, textarea')) {
          expect(doc.querySelector(`label[for="${field.getAttribute('id')}"]`), url).not.toBeNull();
        }
      }
    }
  });
});
