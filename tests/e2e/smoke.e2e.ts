import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { type E2eServer, startServer } from './helpers/server';

describe('a reader on the seeded tracker', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser({ locale: 'id-ID' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the home page and a verdict page, in Indonesian', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.baseUrl}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    await page
      .getByRole('link', { name: /OPD Pemkot Samarinda/ })
      .first()
      .click();
    await page.waitForURL(/\/claims\/opd-samarinda/);
    expect(await page.locator('blockquote').innerText()).toContain('Dulu 40 OPD, sekarang 30 OPD.');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
