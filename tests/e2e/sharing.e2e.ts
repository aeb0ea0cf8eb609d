import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processPhoto } from '../../src/features/photos/photo-images';
import { photosRepository } from '../../src/features/photos/photos.repository';
import { readPng } from '../sharing/png';
import { type AxeViolation, type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { DESKTOP, measureLayout, PHONE } from './helpers/layout';
import { type E2eServer, startServer } from './helpers/server';

// The verdict page with its meter, as readers see it on a phone and on a desk, and the share image a
// link preview shows (saved for the README: docs/screenshots/share-image.png; look at it).

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

function summary(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

describe('the verdict meter and the share image', () => {
  let server: E2eServer;
  let browser: Browser;
  let demo: Demo;

  beforeAll(async () => {
    server = await startServer();
    demo = await createDemoElection(server.db);
    browser = await launchBrowser({ locale: 'id-ID' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const size of [PHONE, DESKTOP]) {
    for (const lang of ['id', 'en']) {
      it(`the verdict page at ${size.width} px (${lang}) shows the meter big beside its status, with no serious or critical accessibility violations`, async () => {
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize(size);
          await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}?lang=${lang}`);
          const meter = page.getByRole('img', {
            name: lang === 'en' ? /^Verdict meter: / : /^Meteran penilaian: /,
          });
          await meter.waitFor();
          const box = await meter.boundingBox();
          // About a third of a phone's width: a drawing, not an icon.
          expect(box?.width ?? 0).toBeGreaterThanOrEqual(110);
          const status = page.locator('.verdict-head .meter-status');
          expect(await status.isVisible()).toBe(true);
          const statusBox = await status.boundingBox();
          // Beside the drawing, on the same band.
          expect(statusBox!.y).toBeLessThan(box!.y + box!.height);
          const layout = await measureLayout(page);
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
          expect(summary(await seriousViolations(page))).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  it('candidate and election pages show the photos, with alt text and credit, at 360 and 1280 px, with no serious or critical accessibility violations', async () => {
    const candidate = await server.db('candidates').where({ slug: 'ayu-contoh-bima-teladan' }).first();
    const upload = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#7a9cc6' } })
      .jpeg()
      .toBuffer();
    const made = await processPhoto(upload, 'ayu.jpg');
    await server.db.transaction((trx) =>
      photosRepository(server.db).insert(
        trx,
        {
          candidate_id: candidate.id,
          person: 'candidate',
          credit: 'Humas Kota Contoh',
          licence: 'CC BY 4.0',
          digest: made.digest,
          source_format: made.source.format,
          source_width: made.source.width,
          source_height: made.source.height,
          uploaded_by: null,
        },
        made.files,
      ),
    );
    await server.db('candidates').where({ id: candidate.id }).update({ updated_at: server.db.fn.now() });
    for (const size of [PHONE, DESKTOP]) {
      for (const path of [`/candidates/${candidate.slug}`, `/elections/${demo.electionSlug}`]) {
        const page = await browser.context.newPage();
        try {
          await page.setViewportSize(size);
          await page.goto(`${server.baseUrl}${path}`);
          const photo = page.getByRole('img', { name: `Foto ${candidate.name}` });
          await photo.waitFor();
          // The file arrived and was decoded (WebP, or the JPEG fallback).
          await page.waitForFunction(
            `[...document.querySelectorAll('.photo img')].every((img) => img.complete && img.naturalWidth > 0)`,
          );
          expect(await page.locator('.photo figcaption').first().textContent()).toBe(
            'Foto: Humas Kota Contoh (CC BY 4.0)',
          );
          const layout = await measureLayout(page);
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
          expect(summary(await seriousViolations(page))).toEqual([]);
        } finally {
          await page.close();
        }
      }
    }
  });

  it('the verdict page in print keeps the meter and its status', async () => {
    const page = await browser.context.newPage();
    try {
      await page.emulateMedia({ media: 'print' });
      await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}`);
      expect(await page.locator('.verdict-head .meter svg').isVisible()).toBe(true);
      expect(await page.locator('.verdict-head .meter-status').isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('the share image opens in the browser at 1200 × 630 and is saved for the README', async () => {
    const page = await browser.context.newPage();
    try {
      const url = `${server.baseUrl}/claims/${demo.verdictSlug}/share.png`;
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      const bytes = await response!.body();
      const png = readPng(bytes);
      expect([png.signature, png.width, png.height]).toEqual([true, 1200, 630]);
      // The page's own code, as text: the tests are not compiled with the DOM's types.
      const drawn = await page.evaluate(
        `(() => { const img = document.querySelector('img'); return img ? [img.naturalWidth, img.naturalHeight] : []; })()`,
      );
      expect(drawn).toEqual([1200, 630]);
      await fs.mkdir(SCREENSHOTS, { recursive: true });
      await fs.writeFile(path.join(SCREENSHOTS, 'share-image.png'), bytes);
    } finally {
      await page.close();
    }
  });
});
