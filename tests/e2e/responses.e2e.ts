import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeViolation, type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { DESKTOP, measureLayout, PHONE } from './helpers/layout';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { andLoad, see, visibleText } from './helpers/see';
import { type E2eServer, startServer } from './helpers/server';

// The right of reply, one story in order: an editor records a candidate's response to a verdict through
// the newsroom form and corrects it; a reader finds the corrected response under the verdict and in the
// timeline; both pages hold up on a phone and a desk; a reporter never gets the form.

const RESPONDER = 'Tim pemenangan Ayu Contoh';
const ROLE = 'Juru bicara';
const FIRST_TEXT =
  'Jembatan kedua belas sudah selesai dan dipakai warga.\n\nData Dinas PU yang dipakai redaksi sudah usang.';
const CORRECTED = [
  'Jembatan kedua belas selesai pada Oktober 2024 dan dipakai warga sejak itu.',
  'Data Dinas PU yang dipakai redaksi belum mencatat serah terimanya.',
];
const LINK = 'https://example.org/ayu-contoh/siaran-pers-jembatan';
const NOTE = 'Tim meralat bulan selesainya jembatan kedua belas.';

function summary(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** Sideways scrolling, anything cut off and tap targets under 44 px, as one list a failure can print. */
async function layoutProblems(page: Page, width: number): Promise<string[]> {
  const layout = await measureLayout(page);
  const problems = [...layout.cutOff, ...layout.smallTargets];
  if (layout.clientWidth !== width) problems.push(`the page is ${layout.clientWidth} px wide, not ${width}`);
  if (layout.scrollWidth > layout.clientWidth)
    problems.push(`scrolls sideways: ${layout.scrollWidth} px of content in ${layout.clientWidth}`);
  return problems;
}

describe('the right of reply in the browser', () => {
  let server: E2eServer;
  let demo: Demo;
  let editor: Account;
  let reporter: Account;
  let claimId: number;
  let responseId = 0;
  const browsers: Browser[] = [];

  async function newPage(): Promise<Page> {
    const launched = await launchBrowser({ locale: 'id-ID' });
    browsers.push(launched);
    return launched.context.newPage();
  }

  beforeAll(async () => {
    server = await startServer();
    demo = await createDemoElection(server.db);
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    reporter = await createAccount(server.db, 'reporter', 'Rani Reporter');
    claimId = (await server.db('claims').where({ slug: demo.verdictSlug }).first()).id;
  });
  afterAll(async () => {
    for (const launched of browsers) await launched.close();
    await server?.stop();
  });

  let editorPage: Page;

  it('1. an editor records a response through the newsroom form, then corrects it with a note', async () => {
    editorPage = await newPage();
    const page = editorPage;
    await signIn(page, server.baseUrl, editor);
    await page.goto(`${server.baseUrl}/newsroom/claims/${claimId}?lang=id`);
    await andLoad(
      page,
      () => page.getByRole('navigation').getByRole('link', { name: 'Hak jawab', exact: true }).click(),
      new RegExp(`/newsroom/claims/${claimId}/responses$`),
    );
    await see(page, 'Belum ada tanggapan.');

    await page.getByLabel('Waktu tanggapan').fill('2024-11-05T09:30');
    await page.getByLabel('Yang menanggapi').fill(RESPONDER);
    await page.getByLabel('Peran').fill(ROLE);
    await page.getByRole('textbox', { name: 'Teks', exact: true }).fill(FIRST_TEXT);
    await page.getByRole('textbox', { name: 'Alamat (URL)' }).fill(LINK);
    await andLoad(
      page,
      () => page.getByRole('button', { name: 'Simpan dan tampilkan' }).click(),
      new RegExp(`/newsroom/claims/${claimId}/responses#response-\\d+$`),
    );
    await see(page, 'Tanggapan dicatat dan tampil di halaman klaim.');
    responseId = Number(/#response-(\d+)$/.exec(page.url())?.[1]);
    const card = page.locator(`#response-${responseId}`);
    expect(await card.getByRole('heading').innerText()).toBe(`${RESPONDER}, ${ROLE}`);
    // The editor sees the paragraphs as typed, the way readers will.
    expect(await card.locator('blockquote').innerText()).toBe(FIRST_TEXT);

    await andLoad(
      page,
      () => card.getByRole('link', { name: 'Koreksi tanggapan' }).click(),
      new RegExp(`/newsroom/responses/${responseId}/correct$`),
    );
    // The form starts from the response as it reads now.
    expect(await page.getByRole('textbox', { name: 'Teks', exact: true }).inputValue()).toBe(FIRST_TEXT);
    expect(await page.getByRole('textbox', { name: 'Alamat (URL)' }).inputValue()).toBe(LINK);
    await page.getByLabel('Catatan koreksi').fill(NOTE);
    await page.getByRole('textbox', { name: 'Teks', exact: true }).fill(CORRECTED.join('\n\n'));
    await andLoad(
      page,
      () => page.getByRole('button', { name: 'Terbitkan koreksi' }).click(),
      new RegExp(`/newsroom/claims/${claimId}/responses#response-${responseId}$`),
    );
    await see(page, 'Koreksi tanggapan diterbitkan.');
    const corrected = await visibleText(page, `#response-${responseId}`);
    expect(corrected).toContain(CORRECTED[0]);
    expect(corrected).not.toContain('Jembatan kedua belas sudah selesai dan dipakai warga.');
    expect(corrected).toContain(NOTE);
  });

  let readerPage: Page;

  it('2. a reader sees the corrected response under the verdict, with who, when, its paragraphs, its link and the correction, and in the timeline', async () => {
    expect(responseId).toBeGreaterThan(0);
    readerPage = await newPage();
    const page = readerPage;
    await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}?lang=id`);
    const section = page.getByRole('region', { name: 'Hak jawab' });
    await section.waitFor();
    const response = section.locator(`#response-${responseId}`);
    expect(await response.getByRole('heading', { level: 3 }).innerText()).toBe(`${RESPONDER}, ${ROLE}`);
    expect(await response.locator('time').first().innerText()).toBe('Selasa, 5 November 2024, 09:30 UTC');
    expect(await response.locator('blockquote p').allInnerTexts()).toEqual(CORRECTED);
    const link = response.getByRole('link', { name: LINK });
    expect(await link.getAttribute('href')).toBe(LINK);
    expect((await link.getAttribute('rel'))?.split(/\s+/)).toContain('nofollow');
    const correction = await response.locator('.response-corrections li').allInnerTexts();
    expect(correction).toHaveLength(1);
    expect(correction[0]).toMatch(/^\d{1,2} \w+ \d{4}: Dikoreksi\. /);
    expect(correction[0]).toContain(NOTE);

    // Under the verdict: after the summary, before the timeline.
    const order = await page.evaluate(
      `(() => { const ids = [...document.querySelectorAll('h2')].map((h) => h.id || h.textContent.trim()); return ids; })()`,
    );
    const headings = order as string[];
    expect(headings.indexOf('responses-heading')).toBe(headings.indexOf('Ringkasan penilaian') + 1);
    expect(headings.indexOf('responses-heading')).toBeLessThan(headings.indexOf('timeline-heading'));

    const timeline = page.getByRole('region', { name: 'Riwayat status' });
    const item = timeline.getByRole('listitem').filter({ hasText: `Hak jawab dari ${RESPONDER}` });
    expect(await item.count()).toBe(1);
    expect(await item.locator('time').innerText()).toBe('Selasa, 5 November 2024');
    await item.getByRole('link', { name: 'Baca tanggapannya' }).click();
    await page.waitForURL(new RegExp(`#response-${responseId}$`));
    expect(await response.isVisible()).toBe(true);

    await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}?lang=en`);
    const english = page.getByRole('region', { name: 'Right of reply' });
    await english.waitFor();
    expect(await english.locator('time').first().innerText()).toBe('Tuesday, 5 November 2024, 09:30 UTC');
    expect(await english.locator('blockquote p').allInnerTexts()).toEqual(CORRECTED);
    expect(await visibleText(page, '.response-corrections')).toContain(`Corrected. ${NOTE}`);
    await see(page.getByRole('region', { name: 'Status history' }), `Right of reply from ${RESPONDER}`);
  });

  for (const size of [PHONE, DESKTOP]) {
    it(`3. at ${size.width} px the verdict page with the response and the newsroom's response forms scroll only down, cut nothing off, have 44 px targets and no serious or critical violations`, async () => {
      expect(responseId).toBeGreaterThan(0);
      const pages: [Page, string][] = [
        [readerPage, `/claims/${demo.verdictSlug}?lang=id`],
        [readerPage, `/claims/${demo.verdictSlug}?lang=en`],
        [editorPage, `/newsroom/claims/${claimId}/responses?lang=id`],
        [editorPage, `/newsroom/responses/${responseId}/correct?lang=id`],
      ];
      const problems: string[] = [];
      for (const [page, url] of pages) {
        await page.setViewportSize(size);
        const answer = await page.goto(`${server.baseUrl}${url}`);
        const bytes = (await answer?.body())?.length ?? 0;
        if (url.startsWith('/claims/') && bytes > 30_000) problems.push(`${url}: ${bytes} bytes of HTML`);
        await page.locator('footer').waitFor();
        for (const problem of await layoutProblems(page, size.width)) problems.push(`${url}: ${problem}`);
        for (const violation of summary(await seriousViolations(page))) problems.push(`${url}: ${violation}`);
      }
      const css = await readerPage.request.get(`${server.baseUrl}/assets/site.css`);
      expect(css.status()).toBe(200);
      const cssBytes = (await css.body()).length;
      if (cssBytes > 15_000) problems.push(`site.css is ${cssBytes} bytes`);
      expect(problems).toEqual([]);
    });
  }

  it('4. a reporter gets no response form: no link on the claim, and the form address is refused', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, reporter);
    await page.goto(`${server.baseUrl}/newsroom/claims/${claimId}?lang=id`);
    const tabs = page.getByRole('navigation', { name: 'Bagian klaim' });
    // The reporter's own tabs are there; the right of reply is not.
    await see(tabs, 'Riwayat revisi');
    expect(await page.getByRole('link', { name: 'Hak jawab', exact: true }).count()).toBe(0);
    const refused = await page.goto(`${server.baseUrl}/newsroom/claims/${claimId}/responses?lang=id`);
    expect(refused?.status()).toBe(403);
    expect(await page.locator(`form[action$="/responses"]`).count()).toBe(0);
    expect(await page.locator('[name="responder"]').count()).toBe(0);
    const correction = await page.goto(`${server.baseUrl}/newsroom/responses/${responseId}/correct`);
    expect(correction?.status()).toBe(403);
    expect(await page.locator('[name="note"]').count()).toBe(0);
  });
});
