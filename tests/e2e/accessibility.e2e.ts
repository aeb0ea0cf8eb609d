import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaim, createEvidence } from '../helpers/factories';
import { type AxeViolation, type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { focused, focusIndicator } from './helpers/keyboard';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { type E2eServer, startServer } from './helpers/server';

// axe-core in the page: zero serious or critical violations on every public page type, in both languages,
// and on the newsroom's main forms, empty and sent back with errors. Then the keyboard basics.

function summary(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

describe('accessibility', () => {
  let server: E2eServer;
  let browser: Browser;
  let demo: Demo;
  let editor: Account;
  let draftId: number;
  let retractedSlug: string;

  beforeAll(async () => {
    server = await startServer();
    demo = await createDemoElection(server.db);
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    const draft = await createClaim(server.db, {
      candidate_id: demo.candidateId,
      workflow_state: 'draft',
      title: 'Seratus ribu lapangan kerja baru',
      created_by: editor.id,
    });
    await createEvidence(server.db, { claim_id: draft.id, title: 'Laporan ketenagakerjaan Kota Contoh' });
    draftId = draft.id;
    retractedSlug = (
      await createClaim(server.db, {
        candidate_id: demo.candidateId,
        workflow_state: 'retracted',
        title: 'Klaim yang ditarik karena salah kutip',
      })
    ).slug;
    browser = await launchBrowser({ locale: 'id-ID' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The language choice is remembered in a cookie; the tests below read Indonesian labels. */
  async function chooseIndonesian(page: Page) {
    await page.goto(`${server.baseUrl}/?lang=id`);
  }

  const publicPages: [string, () => string][] = [
    ['the home page', () => '/'],
    ['an election page with its scoreboard', () => `/elections/${demo.electionSlug}`],
    ['the seeded election page', () => '/elections/pilkada-kota-samarinda-2024'],
    ['the seeded debate’s event page', () => '/events/debat-pilkada-samarinda-2024'],
    ['a candidate page', () => '/candidates/ayu-contoh-bima-teladan'],
    ['the list of claims', () => '/claims'],
    ['a search', () => '/claims?q=jembatan'],
    ['a search with no result', () => '/claims?q=kapal+selam'],
    ['a list with a filter that makes no sense', () => '/claims?kind=ramalan'],
    ['a verdict page', () => `/claims/${demo.verdictSlug}`],
    ['a retracted verdict page', () => `/claims/${retractedSlug}`],
    ['the page on how we rate', () => '/about'],
    ['the page that is not there (404)', () => '/halaman-yang-tidak-ada'],
  ];

  for (const lang of ['id', 'en']) {
    for (const [name, path] of publicPages) {
      it(`${name} (${lang}) has no serious or critical accessibility violations`, async () => {
        const page = await browser.context.newPage();
        try {
          const url = new URL(path(), server.baseUrl);
          url.searchParams.set('lang', lang);
          await page.goto(url.toString());
          expect(await page.locator('html').getAttribute('lang')).toBe(lang);
          expect(summary(await seriousViolations(page))).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }

  describe('the newsroom forms', () => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.context.newPage();
      await chooseIndonesian(page);
    });
    afterAll(async () => {
      await page.close();
    });

    it('the sign-in form, empty and after a wrong password, has no serious or critical violations', async () => {
      await page.goto(`${server.baseUrl}/login`);
      expect(summary(await seriousViolations(page))).toEqual([]);
      await page.getByLabel('Email').fill(editor.email);
      await page.getByLabel('Kata sandi').fill('bukan-kata-sandinya');
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.getByRole('alert').waitFor();
      expect(summary(await seriousViolations(page))).toEqual([]);
    });

    const forms: [string, () => string][] = [
      ['the dashboard', () => '/newsroom'],
      ['the new-claim form', () => '/newsroom/claims/new'],
      ['the claim page', () => `/newsroom/claims/${draftId}`],
      ['the claim edit form', () => `/newsroom/claims/${draftId}/edit`],
      ['the evidence form', () => `/newsroom/claims/${draftId}/evidence`],
      ['the status change form', () => `/newsroom/claims/${draftId}/status`],
      ['the review queue', () => '/newsroom/review'],
    ];
    for (const [name, path] of forms) {
      it(`${name} has no serious or critical violations`, async () => {
        if (!page.url().includes('/newsroom')) await signIn(page, server.baseUrl, editor);
        await page.goto(`${server.baseUrl}${path()}`);
        expect(summary(await seriousViolations(page))).toEqual([]);
      });
    }

    it('the new-claim, evidence and status change forms sent back with errors have no serious or critical violations', async () => {
      const sendEmpty: [string, string][] = [
        ['/newsroom/claims/new', 'Simpan & catat berikutnya'],
        [`/newsroom/claims/${draftId}/evidence`, 'Tambah bukti'],
        [`/newsroom/claims/${draftId}/status`, 'Ubah status'],
      ];
      for (const [path, button] of sendEmpty) {
        await page.goto(`${server.baseUrl}${path}`);
        await page.getByRole('button', { name: button, exact: true }).click();
        await page.getByRole('alert').first().waitFor();
        expect(await page.locator('[aria-invalid="true"], .nr-invalid').count()).toBeGreaterThan(0);
        expect(summary(await seriousViolations(page))).toEqual([]);
      }
    });
  });

  describe('the keyboard', () => {
    beforeAll(async () => {
      const page = await browser.context.newPage();
      await chooseIndonesian(page);
      await page.close();
    });
    const pages: [string, () => string][] = [
      ['the home page', () => '/'],
      ['a verdict page', () => `/claims/${demo.verdictSlug}`],
      ['the list of claims', () => '/claims'],
      ['the newsroom dashboard', () => '/newsroom'],
    ];
    for (const [name, path] of pages) {
      it(`on ${name}, the skip link is the first stop of Tab, shows itself, and moves focus to the main content`, async () => {
        const page = await browser.context.newPage();
        try {
          if (path().startsWith('/newsroom')) await signIn(page, server.baseUrl, editor);
          await page.goto(`${server.baseUrl}${path()}`);
          await page.keyboard.press('Tab');
          expect(await focused(page)).toBe('link "Langsung ke konten utama"');
          const box = await page.locator('.skip-link').boundingBox();
          expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);
          expect((await focusIndicator(page)).style).not.toBe('none');

          await page.keyboard.press('Enter');
          expect(await page.evaluate('document.activeElement.id')).toBe('main');
          await page.keyboard.press('Tab');
          expect(await page.evaluate(`!!document.activeElement.closest('main')`)).toBe(true);
        } finally {
          await page.close();
        }
      });
    }

    it('every link, button and field on the verdict page and the claim form shows a visible focus ring', async () => {
      const page = await browser.context.newPage();
      try {
        await signIn(page, server.baseUrl, editor);
        for (const path of [`/claims/${demo.verdictSlug}`, '/newsroom/claims/new']) {
          await page.goto(`${server.baseUrl}${path}`);
          // Round the whole page once: from the first stop (or the field that has focus on arrival) back to it.
          const unseen: string[] = [];
          let first = await focused(page);
          let stops = 0;
          for (; stops < 150; stops += 1) {
            await page.keyboard.press('Tab');
            const now = await focused(page);
            if (!first) first = now;
            else if (now === first) break;
            if (now === '' || now.endsWith('(inner part)')) continue;
            const ring = await focusIndicator(page);
            if (ring.style === 'none' || ring.width < 2)
              unseen.push(`${now}: outline ${ring.style} ${ring.width}px`);
          }
          expect(stops, `Tab never came back round on ${path}`).toBeLessThan(150);
          expect(stops).toBeGreaterThan(10);
          expect(unseen, path).toEqual([]);
        }
      } finally {
        await page.close();
      }
    });
  });
});
