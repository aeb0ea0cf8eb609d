import { Resvg } from '@resvg/resvg-js';
import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY, FONT_FILES, metrics, wrapText } from '../../src/features/sharing/fonts';
import { createClaim } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { createRatedClaim } from '../helpers/public-factories';
import { html } from '../public/html';
import { warmUp } from '../public/warm-up';
import { binary, readPng } from './png';

const image = (app: Express, url: string) => request(app).get(url).buffer(true).parse(binary);

describe('share images', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on', NEWSROOM_NAME: 'Redaksi Uji' });
  warmUp(ctx);

  it('draw a 1200 × 630 PNG under 300 KB of a published verdict, in the page language', async () => {
    const { claim } = await createRatedClaim(ctx.db, {
      status: 'half_true',
      title: 'Jumlah OPD dipangkas dari 40 menjadi 30',
    });
    const res = await image(ctx.app, `/claims/${claim.slug}/share.png`).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = readPng(res.body);
    expect(png.signature).toBe(true);
    expect([png.width, png.height]).toEqual([1200, 630]);
    expect(res.body.length).toBeLessThan(300 * 1024);
    expect(png.text.Description).toBe('Setengah benar: Jumlah OPD dipangkas dari 40 menjadi 30');
    expect(res.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=300');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');

    const en = await image(ctx.app, `/claims/${claim.slug}/share.png?lang=en`).expect(200);
    expect(readPng(en.body).text.Description).toBe('Half true: Jumlah OPD dipangkas dari 40 menjadi 30');
    expect(en.headers.etag).not.toBe(res.headers.etag);
    expect(en.body.equals(res.body)).toBe(false);
  });

  it('keep an image in the page cache under the page version, and draw a new one when the status changes', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim, evidence } = await createRatedClaim(ctx.db, { status: 'half_true' });
    const url = `/claims/${claim.slug}/share.png`;
    const first = await image(ctx.app, url).expect(200);
    expect(first.headers['x-page-cache']).toBe('miss');
    const again = await image(ctx.app, url).expect(200);
    expect(again.headers['x-page-cache']).toBe('hit');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body.equals(first.body)).toBe(true);
    await request(ctx.app).get(url).set('If-None-Match', String(first.headers.etag)).expect(304);

    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Angka resmi berbeda jauh.',
        evidence_ids: [evidence[0]?.id ?? 0],
      })
      .expect(303);
    const changed = await image(ctx.app, url).expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body.equals(first.body)).toBe(false);
    expect(readPng(changed.body).text.Description).toMatch(/^Keliru: /);
    await request(ctx.app).get(url).set('If-None-Match', String(first.headers.etag)).expect(200);
  }, 60_000);

  it('say that a retracted claim was retracted', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const url = `/claims/${claim.slug}/share.png?lang=en`;
    const before = await image(ctx.app, url).expect(200);
    expect(readPng(before.body).text.Description).toMatch(/^True: /);
    await editor
      .post(`/newsroom/claims/${claim.id}/retract`, { retraction_reason: 'Kutipan salah atribusi.' })
      .expect(303);
    const after = await image(ctx.app, url).expect(200);
    expect(readPng(after.body).text.Description).toMatch(/^Retracted: /);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  }, 60_000);

  it('do not exist for drafts, claims in review or unknown slugs', async () => {
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });
    const review = await createClaim(ctx.db, { workflow_state: 'in_review' });
    for (const slug of [draft.slug, review.slug, 'tidak-ada', '..%2F..%2Fetc']) {
      const res = await request(ctx.app).get(`/claims/${slug}/share.png`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toContain('image/png');
    }
  });

  it('are what the verdict page offers to link previews, and WhatsApp leads the share links', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false', title: 'Angka kemiskinan turun' });
    const doc = html((await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200)).text);
    const meta = (key: string) =>
      doc.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.getAttribute('content');
    const url = `https://kawal.test/claims/${claim.slug}`;
    expect(meta('og:image')).toBe(`${url}/share.png?lang=en`);
    expect(meta('og:image:width')).toBe('1200');
    expect(meta('og:image:height')).toBe('630');
    expect(meta('og:image:alt')).toBe('False: Angka kemiskinan turun');
    expect(meta('twitter:card')).toBe('summary_large_image');
    expect(meta('twitter:image')).toBe(`${url}/share.png?lang=en`);
    const first = doc.querySelector('.share-links a')?.getAttribute('href') ?? '';
    expect(first.startsWith('https://wa.me/?text=')).toBe(true);
    const message = decodeURIComponent(first.slice('https://wa.me/?text='.length));
    expect(message).toBe(`Fact-check: False. "Angka kemiskinan turun" ${url}`);
  });
});

describe('the share images’ lines', () => {
  /** How wide the renderer draws a line of text, measured by the renderer itself. */
  function drawnWidth(line: string, size: number, bold: boolean): number {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="200" font-family="${FONT_FAMILY}"><text x="0" y="100" font-size="${size}"${bold ? ' font-weight="700"' : ''}>${line.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text></svg>`;
    const box = new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles: [FONT_FILES.regular, FONT_FILES.bold] },
    }).getBBox();
    return box?.width ?? 0;
  }

  it('fit the width the renderer draws them at, and a title too long ends with an ellipsis', () => {
    const titles = [
      'Wali Kota Samarinda mengatakan pemerintah kota memangkas jumlah organisasi perangkat daerah dari empat puluh menjadi tiga puluh dan mereplikasi sistem merit Jawa Barat',
      'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW',
      'Ąžuolų ėjimas — “kutipan” dengan tanda baca, angka 1.234.567 dan simbol % & < >',
    ];
    for (const title of titles) {
      const lines = wrapText(title, { font: metrics().bold, size: 46, width: 700, maxLines: 5 });
      expect(lines.length).toBeLessThanOrEqual(5);
      for (const line of lines) expect(drawnWidth(line, 46, true)).toBeLessThanOrEqual(700);
    }
    const long = wrapText(titles[0] as string, { font: metrics().bold, size: 46, width: 700, maxLines: 2 });
    expect(long).toHaveLength(2);
    expect(long[1]?.endsWith('…')).toBe(true);
    const short = wrapText('Pendek saja', { font: metrics().regular, size: 28, width: 700, maxLines: 2 });
    expect(short).toEqual(['Pendek saja']);
  });
});
