import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
