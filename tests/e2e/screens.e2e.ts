import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaim, createEvidence } from '../helpers/factories';
import { type Browser, launchBrowser } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { DESKTOP, measureLayout, PHONE } from './helpers/layout';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { type E2eServer, startServer } from './helpers/server';

// The pages people use on a phone as much as on a desk, at 360 and 1280 px: no sideways scrolling, nothing
// cut off, and on the phone every link, button and field big enough to tap. The run also saves the
// screenshots the README shows (docs/screenshots/); look at them: a broken layout there is a failure.

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

describe('phone and desktop screens', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let demo: Demo;
  let editor: Account;
  let workedClaimId: number;

  beforeAll(async () => {
    server = await startServer();
    demo = await createDemoElection(server.db);
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    workedClaimId = await newsroomWork(server, demo, editor);
    await fs.mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser({ locale: 'id-ID' });
    page = await browser.context.newPage();
    await signIn(page, server.baseUrl, editor);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pages: [string, () => string][] = [
    ['the verdict page', () => `/claims/${demo.verdictSlug}`],
    ['the election scoreboard', () => `/elections/${demo.electionSlug}`],
    ['the claim form', () => '/newsroom/claims/new'],
  ];

  for (const size of [PHONE, DESKTOP]) {
    for (const [name, url] of pages) {
      it(`${name} at ${size.width} px wide scrolls only down, cuts nothing off${size === PHONE ? ', and has tap targets of 44 px or more' : ''}`, async () => {
        await page.setViewportSize(size);
        await page.goto(`${server.baseUrl}${url()}`);
        // The claim form's folded parts too (a new event, more details), as a reporter opens them.
        if (url().startsWith('/newsroom')) {
          for (const summary of await page.locator('details.nr-details > summary').all())
            await summary.click();
        }
        const layout = await measureLayout(page);
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.clientWidth).toBe(size.width);
        expect(layout.cutOff).toEqual([]);
        if (size === PHONE) expect(layout.smallTargets).toEqual([]);
      });
    }
  }

  // The other pages, on the phone only (the narrow screen is where things break): the same three checks.
  const otherPages: [string, () => string][] = [
    ['the home page', () => '/'],
    ['the list of claims, filtered', () => `/claims?election=${demo.electionSlug}&kind=promise`],
    ['a candidate page', () => '/candidates/ayu-contoh-bima-teladan'],
    ['the page on how we rate', () => '/about'],
    ['the page that is not there (404)', () => '/halaman-yang-tidak-ada'],
    ['the newsroom dashboard', () => '/newsroom'],
    ['the review queue', () => '/newsroom/review'],
    ['the claim page in the newsroom', () => `/newsroom/claims/${workedClaimId}`],
    ['the evidence form', () => `/newsroom/claims/${workedClaimId}/evidence`],
    ['the status change form', () => `/newsroom/claims/${workedClaimId}/status`],
  ];
  for (const [name, url] of otherPages) {
    it(`${name} at 360 px wide scrolls only down, cuts nothing off, and has tap targets of 44 px or more`, async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${server.baseUrl}${url()}`);
      const layout = await measureLayout(page);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.cutOff).toEqual([]);
      expect(layout.smallTargets).toEqual([]);
    });
  }

  it('saves the screenshots the README shows', async () => {
    const shots: [string, { width: number; height: number }, string][] = [
      ['verdict-phone.png', PHONE, `/claims/${demo.verdictSlug}`],
      ['verdict-desktop.png', DESKTOP, `/claims/${demo.verdictSlug}`],
      ['election-scoreboard.png', DESKTOP, `/elections/${demo.electionSlug}`],
      ['newsroom-dashboard.png', DESKTOP, '/newsroom'],
    ];
    for (const [file, size, url] of shots) {
      await page.setViewportSize(size);
      await page.goto(`${server.baseUrl}${url}`);
      const layout = await measureLayout(page);
      expect(layout.scrollWidth, file).toBeLessThanOrEqual(layout.clientWidth);
      await page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled', caret: 'hide' });
      const written = await fs.stat(path.join(SCREENSHOTS, file));
      expect(written.mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    }
  });
});

/**
 * Something on each of the dashboard's lists: a draft, a claim in review, a proposal, an overdue promise.
 * Returns the overdue promise, which has evidence and a proposed status change.
 */
async function newsroomWork(server: E2eServer, demo: Demo, editor: Account): Promise<number> {
  const { db } = server;
  const reporter = await createAccount(db, 'reporter', 'Rani Reporter');
  await createClaim(db, {
    candidate_id: demo.candidateId,
    workflow_state: 'draft',
    title: 'Seratus ribu lapangan kerja baru dalam lima tahun',
    quote: 'Kami akan membuka seratus ribu lapangan kerja baru dalam lima tahun.',
    kind: 'promise',
    created_by: editor.id,
  });
  await createClaim(db, {
    candidate_id: demo.candidateId,
    workflow_state: 'in_review',
    title: 'Rumah sakit daerah kedua sudah beroperasi',
    quote: 'Rumah sakit daerah kedua sudah melayani warga sejak Maret.',
    created_by: reporter.id,
  });
  const promise = await createClaim(db, {
    candidate_id: demo.candidateId,
    kind: 'promise',
    title: 'Terminal bus baru selesai pertengahan 2026',
    quote: 'Terminal bus baru akan selesai pada pertengahan 2026.',
    deadline: '2026-06-30',
    created_by: reporter.id,
  });
  const evidence = await createEvidence(db, {
    claim_id: promise.id,
    title: 'Terminal baru belum dipakai, kata dinas perhubungan',
    stance: 'contradicts',
  });
  const [proposal] = await db('status_updates')
    .insert({
      claim_id: promise.id,
      from_status: 'not_rated',
      to_status: 'stalled',
      reason_code: 'no_budget',
      note: 'Pembangunan terminal berhenti sejak Mei; kontraktor belum dibayar.',
      proposed_by: reporter.id,
    })
    .returning('id');
  await db('status_update_evidence').insert({ status_update_id: proposal.id, evidence_id: evidence.id });
  return promise.id;
}
