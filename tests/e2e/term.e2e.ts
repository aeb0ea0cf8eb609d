import fs from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/features/term/reports';
import { reportsRepository } from '../../src/features/term/reports.repository';
import { createClaim } from '../helpers/factories';
import { type AxeViolation, type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { DESKTOP, measureLayout, PHONE } from './helpers/layout';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { type E2eServer, startServer } from './helpers/server';

// The pages of a term, at 360 and 1280 px and through axe: the tickets compared, the winner's candidate
// page (the term's run, overdue promises, reports), a milestone report, an agency's page, and the
// newsroom's term page. The run also saves the compare page's screenshot the README shows.

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');
const WINNER = 'ayu-contoh-bima-teladan';

function summary(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** The demo's winner, an agency with a promise, an overdue promise and a published 100-day report. */
async function termOf(server: E2eServer, demo: Demo, editor: Account) {
  const { db } = server;
  const election = await db('elections').where({ slug: demo.electionSlug }).first();
  await db('candidates').where({ id: demo.candidateId }).update({ is_winner: true });
  const [agency] = await db('agencies')
    .insert({ election_id: election.id, slug: 'dishub', name: 'Dinas Perhubungan', short_name: 'Dishub' })
    .returning('*');
  await createClaim(db, {
    candidate_id: demo.candidateId,
    kind: 'promise',
    title: 'Terminal bus baru selesai pertengahan 2026',
    quote: 'Terminal bus baru akan selesai pada pertengahan 2026.',
    deadline: '2026-06-30',
    agency_id: agency.id,
  });
  const reports = reportsRepository(db);
  const asOf = new Date().toISOString().slice(0, 10);
  const snapshot = buildSnapshot(
    asOf,
    await reports.claimsAt(db, demo.candidateId, new Date(Date.now() + 86_400_000)),
  );
  await reports.insert(db, {
    candidate_id: demo.candidateId,
    slug: '100-hari',
    milestone: '100_days',
    title: '100 hari Ayu Contoh–Bima Teladan',
    as_of: asOf,
    intro: 'Seratus hari pertama: **satu janji ditepati**, satu mandek, satu lewat tenggat.',
    snapshot,
    previous_id: null,
    published_by: editor.id,
  });
  return { electionId: election.id as number };
}

describe('a term’s pages', () => {
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let demo: Demo;
  let editor: Account;
  let electionId: number;

  beforeAll(async () => {
    server = await startServer();
    demo = await createDemoElection(server.db);
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    ({ electionId } = await termOf(server, demo, editor));
    browser = await launchBrowser({ locale: 'id-ID' });
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const pages: [string, () => string][] = [
    ['the tickets compared', () => `/elections/${demo.electionSlug}/compare`],
    ['the winner’s candidate page', () => `/candidates/${WINNER}`],
    ['a milestone report', () => `/candidates/${WINNER}/reports/100-hari`],
    ['an agency’s page', () => `/elections/${demo.electionSlug}/agencies/dishub`],
  ];

  for (const size of [PHONE, DESKTOP]) {
    for (const [name, url] of pages) {
      it(`${name} at ${size.width} px wide scrolls only down, cuts nothing off${size === PHONE ? ', and has tap targets of 44 px or more' : ''}`, async () => {
        await page.setViewportSize(size);
        await page.goto(`${server.baseUrl}${url()}`);
        const layout = await measureLayout(page);
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
        expect(layout.cutOff).toEqual([]);
        if (size === PHONE) expect(layout.smallTargets).toEqual([]);
      });
    }
  }

  it('the compare page stacks the tickets on a phone and sets them side by side on a desk', async () => {
    const tops = async () =>
      page
        .locator('.compare-ticket')
        .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    await page.setViewportSize(PHONE);
    await page.goto(`${server.baseUrl}/elections/${demo.electionSlug}/compare`);
    const [first, second] = await tops();
    expect(second).toBeGreaterThan(first!);
    await page.setViewportSize(DESKTOP);
    const [left, right] = await tops();
    expect(right).toBe(left);
    await page.emulateMedia({ media: 'print' });
    const [printLeft, printRight] = await tops();
    expect(printRight).toBe(printLeft);
    await page.emulateMedia({ media: 'screen' });
    await fs.mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'compare-desktop.png'),
      animations: 'disabled',
      caret: 'hide',
    });
  });

  for (const lang of ['id', 'en']) {
    for (const [name, url] of pages) {
      it(`${name} (${lang}) has no serious or critical accessibility violations`, async () => {
        const target = new URL(url(), server.baseUrl);
        target.searchParams.set('lang', lang);
        await page.setViewportSize(DESKTOP);
        await page.goto(target.toString());
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        expect(summary(await seriousViolations(page))).toEqual([]);
      });
    }
  }

  it('the newsroom’s term page and report form have no serious or critical violations', async () => {
    await page.goto(`${server.baseUrl}/?lang=id`);
    await signIn(page, server.baseUrl, editor);
    for (const url of [
      `/newsroom/elections/${electionId}/term`,
      `/newsroom/candidates/${demo.candidateId}/reports/new`,
    ]) {
      await page.goto(`${server.baseUrl}${url}`);
      expect(summary(await seriousViolations(page)), url).toEqual([]);
    }
    await page.getByRole('button', { name: 'Terbitkan rapor' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(summary(await seriousViolations(page))).toEqual([]);
  });
});
