import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Received, startSmtp, type TestSmtp } from '../readers/smtp';
import { type AxeViolation, type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { createDemoElection, type Demo } from './helpers/demo';
import { focused } from './helpers/keyboard';
import { DESKTOP, measureLayout, PHONE } from './helpers/layout';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { andLoad, see, visibleText } from './helpers/see';
import { type E2eServer, startServer } from './helpers/server';

// Readers in a real Chromium: following a verdict by email (the form, the confirmation email sent by the
// app's own outbox worker to a real SMTP server, its link, the confirm button, the manage page), sending
// tips with JavaScript off and on, and the newsroom's tip queue (a tip shown as text, turned into a draft
// claim, another dismissed). Then every one of those pages at 360 and 1280 px, and through axe.

const VERDICT_TITLE = 'Dua belas jembatan baru dibangun di Kota Contoh sejak 2021';
const CANDIDATE_SLUG = 'ayu-contoh-bima-teladan';
const READER = 'pembaca.jembatan@example.org';
const HOSTILE = '<script>alert(1)</script> dan <b>x</b>';

const CLAIM_TIP = {
  quote: 'Kami sudah membagikan seribu laptop ke sekolah dasar di Kota Contoh.',
  speaker: 'Ayu Contoh',
  said_on: '2024-11-10',
  where: 'Kampanye di Lapangan Merdeka Kota Contoh',
  url: 'https://example.org/berita/seribu-laptop',
  note: `Video di menit 12. ${HOSTILE}`,
  email: 'pengirim.tip@example.org',
};
const OTHER_TIP = {
  quote: 'Semua jalan kampung di Kota Contoh sudah diaspal.',
  speaker: 'Citra Sampel',
  said_on: '2024-11-12',
  where: 'Wawancara Radio Contoh FM',
  url: 'https://example.org/radio/jalan-kampung',
  note: 'Disiarkan pukul tujuh pagi.',
  email: '',
};

function summary(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** The first link in a message that starts with `prefix` (an absolute address of the app under test). */
function linkIn(message: Received, baseUrl: string, prefix: string): string {
  const escaped = `${baseUrl}${prefix}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}[A-Za-z0-9_-]{43}(\\?lang=(id|en))?`).exec(message.text);
  if (!match) throw new Error(`no ${prefix} link in the email "${message.subject}":\n${message.text}`);
  return match[0];
}

/** The confirmation email to `to` about `label`, once the app's outbox worker has sent it. */
async function confirmationFor(smtp: TestSmtp, to: string, label: string): Promise<Received> {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = smtp.received.find((m) => m.to === to && m.text.includes(`Untuk mengikuti: ${label}\n`));
    if (found) return found;
    if (Date.now() > until) {
      const seen = smtp.received.map((m) => `${m.to}: ${m.subject}`).join('; ') || 'nothing';
      throw new Error(`no confirmation email to ${to} about ${label} within 20 s; received: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Follows what the page shows, through its follow form; lands on the "check your email" page. */
async function followFrom(page: Page, email: string): Promise<void> {
  const form = page.locator('section.follow form[action="/follow"]');
  await form.getByLabel('Alamat email').fill(email);
  await andLoad(page, () => form.getByRole('button', { name: 'Ikuti', exact: true }).click(), /\/follow$/);
  await see(page, 'Periksa email Anda');
}

/** Fills the tip form's fields by their labels (the claim kind). */
async function fillClaimTip(page: Page, tip: typeof CLAIM_TIP): Promise<void> {
  await page.getByLabel('Klaim untuk diperiksa').check();
  await page.getByLabel('Apa yang dikatakan').fill(tip.quote);
  await page.getByLabel(/^Siapa yang mengatakannya/).fill(tip.speaker);
  await page.getByLabel(/^Kapan/).fill(tip.said_on);
  await page.getByLabel(/^Di mana/).fill(tip.where);
  await page.getByLabel(/^Tautan/).fill(tip.url);
  await page.getByLabel(/^Catatan untuk redaksi/).fill(tip.note);
  await page.getByLabel(/^Email Anda/).fill(tip.email);
}

async function sendTip(page: Page): Promise<void> {
  await andLoad(page, () => page.getByRole('button', { name: 'Kirim tip' }).click(), /\/tips$/);
}

async function expectLaidOut(page: Page, width: number): Promise<void> {
  const layout = await measureLayout(page);
  expect(layout.clientWidth, page.url()).toBe(width);
  expect(layout.scrollWidth, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(layout.clientWidth);
  expect(layout.cutOff, page.url()).toEqual([]);
  expect(layout.smallTargets, page.url()).toEqual([]);
}

describe('readers in the browser: follow by email, tips, and the tip queue', () => {
  let server: E2eServer;
  let smtp: TestSmtp;
  let demo: Demo;
  let reporter: Account;
  let browser: Browser;
  let noScript: Browser;
  let page: Page;
  /** A confirmation link never used, and the reader's manage link: for the layout and axe checks. */
  let pendingConfirm = '';
  let manageLink = '';
  const dialogs: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startServer({ smtpUrl: smtp.url });
    demo = await createDemoElection(server.db);
    reporter = await createAccount(server.db, 'reporter', 'Rani Reporter');
    browser = await launchBrowser({ locale: 'id-ID' });
    noScript = await launchBrowser({ locale: 'id-ID', javaScriptEnabled: false });
    page = await browser.context.newPage();
    // A tip's text that ran as script would open an alert: every dialog is recorded (and closed).
    browser.context.on('page', (p) => p.on('dialog', (d) => void d.dismiss()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await noScript?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('the follow form is on a verdict, a candidate and an election page, and the verdict stays under 30 KB', async () => {
    for (const [path, field] of [
      [`/claims/${demo.verdictSlug}`, 'claim'],
      [`/candidates/${CANDIDATE_SLUG}`, 'candidate'],
      [`/elections/${demo.electionSlug}`, 'election'],
    ] as const) {
      const response = await page.goto(`${server.baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      if (field === 'claim') expect((await response!.body()).length).toBeLessThanOrEqual(30 * 1024);
      const form = page.locator('section.follow form[action="/follow"][method="post"]');
      expect(await form.locator(`input[type=hidden][name="${field}"]`).count(), path).toBe(1);
      await form.getByLabel('Alamat email').waitFor();
      await form.getByRole('button', { name: 'Ikuti', exact: true }).waitFor();
    }
  });

  it('a reader follows a verdict, reads the confirmation email, opens its link and confirms with the button', async () => {
    await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}`);
    await followFrom(page, READER);
    expect(await visibleText(page, 'main')).toContain(VERDICT_TITLE);
    // Nothing is confirmed yet: the follow waits for the email's link.
    const stored = () =>
      server.db('follows').join('subscribers', 'subscribers.id', 'follows.subscriber_id').where({
        'subscribers.email': READER,
        'follows.target_kind': 'claim',
      });
    expect((await stored().first('follows.confirmed_at'))?.confirmed_at).toBeNull();

    const email = await confirmationFor(smtp, READER, VERDICT_TITLE);
    expect(email.subject).toBe('Konfirmasi langganan email Kawal Janji');
    const confirm = linkIn(email, server.baseUrl, '/follow/confirm/');
    manageLink = linkIn(email, server.baseUrl, '/follow/manage/');

    await page.goto(confirm);
    await see(page, 'Konfirmasi: ikuti lewat email');
    expect(await visibleText(page, 'main')).toContain(VERDICT_TITLE);
    // Opening the link confirms nothing (a mail scanner opens every link); the button's POST does.
    expect((await stored().first('follows.confirmed_at'))?.confirmed_at).toBeNull();
    const button = page.getByRole('button', { name: 'Ya, ikuti' });
    expect(await button.evaluate((b) => (b as unknown as { form: { method: string } }).form.method)).toBe(
      'post',
    );
    await andLoad(page, () => button.click());
    await see(page, 'Anda sekarang mengikuti');
    expect(await visibleText(page, 'main')).toContain(`Anda akan menerima kabar tentang: ${VERDICT_TITLE}.`);
    expect((await stored().first('follows.confirmed_at'))?.confirmed_at).toBeInstanceOf(Date);
  });

  it('the manage page from the email lists what the reader follows, and cancelling one removes it', async () => {
    // Two more follows for the same reader, left unconfirmed: the candidate is cancelled below, and the
    // election's confirmation link serves the layout checks.
    await page.goto(`${server.baseUrl}/candidates/${CANDIDATE_SLUG}`);
    await followFrom(page, READER);
    await page.goto(`${server.baseUrl}/elections/${demo.electionSlug}`);
    await followFrom(page, READER);
    await confirmationFor(smtp, READER, 'Ayu Contoh');
    const election = await confirmationFor(smtp, READER, 'Pilkada Kota Contoh 2024');
    pendingConfirm = linkIn(election, server.baseUrl, '/follow/confirm/');

    await page.goto(manageLink);
    await see(page, 'Yang Anda ikuti');
    expect(await visibleText(page, 'main')).toContain(`Email untuk ${READER}.`);
    const rows = page.locator('ul.follows > li');
    expect(await rows.count()).toBe(3);
    const claimRow = rows.filter({ hasText: VERDICT_TITLE });
    const candidateRow = rows.filter({ hasText: 'Kandidat' });
    expect(await claimRow.innerText()).toContain('setiap perubahan');
    expect(await candidateRow.innerText()).toContain('belum dikonfirmasi');

    await andLoad(
      page,
      () => candidateRow.getByRole('button', { name: 'Batalkan' }).click(),
      /\/follow\/manage\//,
    );
    await see(page, 'Yang Anda ikuti');
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: VERDICT_TITLE }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'Pilkada Kota Contoh 2024' }).count()).toBe(1);
    expect(await candidateRow.count()).toBe(0);
    const kinds = await server
      .db('follows')
      .join('subscribers', 'subscribers.id', 'follows.subscriber_id')
      .where('subscribers.email', READER)
      .pluck('follows.target_kind');
    expect(kinds.sort()).toEqual(['claim', 'election']);
  });

  it('without JavaScript a reader sends a claim tip and sees the thank-you page', async () => {
    const plain = await noScript.context.newPage();
    await plain.goto(`${server.baseUrl}/tips`);
    await fillClaimTip(plain, OTHER_TIP);
    await sendTip(plain);
    await see(plain, 'Terima kasih');
    expect(await visibleText(plain, 'main')).toContain('Tip Anda sudah masuk ke antrean redaksi.');
    await plain.close();
  });

  it('without JavaScript an invalid tip comes back with messages in Indonesian, keeping what was typed', async () => {
    const plain = await noScript.context.newPage();
    await plain.goto(`${server.baseUrl}/tips`);
    const before = await server.db('tips').count<{ count: string }[]>({ count: '*' });
    await fillClaimTip(plain, {
      ...CLAIM_TIP,
      quote: '',
      said_on: '04-11-2024',
      url: 'example.org/berita',
      email: 'bukan-alamat',
    });
    await andLoad(plain, () => plain.getByRole('button', { name: 'Kirim tip' }).click(), /\/tips$/);
    await see(plain, 'Periksa isian yang ditandai.');
    const main = await visibleText(plain, 'main');
    expect(main).toContain('Wajib diisi.');
    expect(main).toContain('Tulis tanggal sebagai TTTT-BB-HH, misalnya 2024-11-04.');
    expect(main).toContain('Tautan harus dimulai dengan http:// atau https://.');
    expect(main).toContain('Alamat email ini tidak tampak benar.');
    expect(await plain.getByLabel('Apa yang dikatakan').getAttribute('aria-invalid')).toBe('true');
    expect(await plain.getByLabel(/^Kapan/).inputValue()).toBe('04-11-2024');
    expect(await plain.getByLabel(/^Siapa yang mengatakannya/).inputValue()).toBe(CLAIM_TIP.speaker);
    expect(await plain.getByLabel(/^Di mana/).inputValue()).toBe(CLAIM_TIP.where);
    expect(await plain.getByLabel(/^Tautan/).inputValue()).toBe('example.org/berita');
    expect(await plain.getByLabel(/^Catatan untuk redaksi/).inputValue()).toBe(CLAIM_TIP.note);
    expect(await plain.getByLabel(/^Email Anda/).inputValue()).toBe('bukan-alamat');
    expect(await plain.getByLabel('Klaim untuk diperiksa').isChecked()).toBe(true);
    expect(await server.db('tips').count<{ count: string }[]>({ count: '*' })).toEqual(before);
    await plain.close();
  });

  it('with JavaScript a reader sends a claim tip; the field only robots see is skipped by the keyboard', async () => {
    await page.goto(`${server.baseUrl}/tips`);
    await fillClaimTip(page, CLAIM_TIP);
    await page.getByLabel(/^Email Anda/).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatch(/^link "Privasi"/);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button "Kirim tip"');
    await sendTip(page);
    await see(page, 'Terima kasih');
    const main = await visibleText(page, 'main');
    expect(main).toContain('Tip Anda sudah masuk ke antrean redaksi.');
    expect(main).toContain('Jika Anda meninggalkan email, periksa kotak masuk untuk mengonfirmasinya.');
  });

  it('from a verdict page a reader sends evidence about that claim', async () => {
    await page.goto(`${server.baseUrl}/claims/${demo.verdictSlug}`);
    await andLoad(page, () =>
      page.getByRole('link', { name: 'Punya bukti tentang klaim ini? Kirimkan kepada redaksi.' }).click(),
    );
    expect(new URL(page.url()).search).toBe(`?claim=${demo.verdictSlug}`);
    await see(page, `Tentang klaim: ${VERDICT_TITLE}`);
    await page.getByLabel(/^Tautan/).fill('https://example.org/dinas-pu/daftar-jembatan-2024.pdf');
    await page
      .getByLabel(/^Catatan untuk redaksi/)
      .fill('Daftar proyek Dinas PU, halaman 4: jembatan kedua belas.');
    await sendTip(page);
    await see(page, 'Terima kasih');
    const claim = await server.db('claims').where({ slug: demo.verdictSlug }).first('id');
    const evidence = await server.db('tips').where({ kind: 'evidence', claim_id: claim.id }).first('url');
    expect(evidence?.url).toBe('https://example.org/dinas-pu/daftar-jembatan-2024.pdf');
  });

  it('a reporter reads the tips as text, turns the claim tip into a draft claim and dismisses another with a reason', async () => {
    await signIn(page, server.baseUrl, reporter);
    await page.goto(`${server.baseUrl}/newsroom/tips`);
    const card = page.locator('.nr-tip').filter({ hasText: CLAIM_TIP.quote });
    expect(await card.count()).toBe(1);
    // The reader's markup is text on the page: no element made from it, no script run.
    expect(await card.locator('.nr-tip-note').innerText()).toBe(CLAIM_TIP.note);
    expect(await card.locator('script, b').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await card.locator('.nr-tip-url a').count()).toBe(0);

    const draftLink = page.locator('.nr-tip + .nr-workflow').nth(await indexOfCard(page, CLAIM_TIP.quote));
    await andLoad(
      page,
      () => draftLink.getByRole('link', { name: 'Jadikan draf klaim' }).click(),
      /\/draft$/,
    );
    // The form starts from the tip: what was said, by whom (the candidate of that name), and where.
    expect(await page.locator('#f-quote').inputValue()).toBe(CLAIM_TIP.quote);
    expect(await page.locator('#f-candidate_id option:checked').innerText()).toContain(CLAIM_TIP.speaker);
    expect(await page.locator('#f-source_url').inputValue()).toBe(CLAIM_TIP.url);
    expect(await page.locator('#f-said_on').inputValue()).toBe(CLAIM_TIP.said_on);
    await page.locator('#f-kind').selectOption('statement');
    await andLoad(
      page,
      () => page.getByRole('button', { name: 'Simpan & buka' }).click(),
      /\/newsroom\/claims\/\d+/,
    );
    await see(page, 'Draf klaim dibuat dari tip.');
    const drafted = await server
      .db('tips')
      .where({ quote: CLAIM_TIP.quote })
      .first('state', 'result_claim_id');
    expect(drafted.state).toBe('drafted');
    const claim = await server.db('claims').where({ id: drafted.result_claim_id }).first();
    expect(claim).toMatchObject({
      quote: CLAIM_TIP.quote,
      workflow_state: 'draft',
      source_url: CLAIM_TIP.url,
    });

    await page.goto(`${server.baseUrl}/newsroom/tips`);
    const other = page.locator('.nr-tip + .nr-workflow').nth(await indexOfCard(page, OTHER_TIP.quote));
    await other.getByLabel('Alasan penolakan').fill('Sudah diperiksa minggu lalu.');
    await andLoad(page, () => other.getByRole('button', { name: 'Tolak' }).click(), /\/newsroom\/tips$/);
    await see(page, 'Tip ditolak.');
    expect(await page.locator('.nr-tip').filter({ hasText: OTHER_TIP.quote }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/newsroom/tips?state=dismissed`);
    const dismissed = page.locator('.nr-tip').filter({ hasText: OTHER_TIP.quote });
    expect(await dismissed.innerText()).toContain('Ditolak: Sudah diperiksa minggu lalu.');
  });

  describe('every reader page and the tip queue, at 360 and 1280 px and through axe', () => {
    const publicPages: [string, () => string][] = [
      ['the verdict page with its follow form', () => `/claims/${demo.verdictSlug}`],
      ['the follow confirmation page', () => new URL(pendingConfirm).pathname],
      ['the manage page', () => new URL(manageLink).pathname],
      ['the tip form (a claim)', () => '/tips'],
      ['the tip form (evidence about a claim)', () => `/tips?claim=${demo.verdictSlug}`],
      ['the privacy page', () => '/privacy'],
    ];
    let readerBrowser: Browser;
    let reader: Page;
    beforeAll(async () => {
      // A reader who is not signed in (the reporter's session stays in the other browser).
      readerBrowser = await launchBrowser({ locale: 'id-ID' });
      reader = await readerBrowser.context.newPage();
    });
    afterAll(async () => {
      await readerBrowser?.close();
    });

    for (const size of [PHONE, DESKTOP]) {
      for (const [name, path] of publicPages) {
        it(`${name} at ${size.width} px scrolls only down, cuts nothing off, and has tap targets of 44 px or more`, async () => {
          await reader.setViewportSize(size);
          const response = await reader.goto(`${server.baseUrl}${path()}`);
          expect(response?.status()).toBe(200);
          await expectLaidOut(reader, size.width);
        });
      }
      it(`the tip queue at ${size.width} px scrolls only down, cuts nothing off, and has tap targets of 44 px or more`, async () => {
        await page.setViewportSize(size);
        await page.goto(`${server.baseUrl}/newsroom/tips?state=new`);
        expect(await page.locator('.nr-tip').count()).toBeGreaterThan(0);
        await expectLaidOut(page, size.width);
      });
    }

    for (const lang of ['id', 'en']) {
      for (const [name, path] of publicPages) {
        it(`${name} (${lang}) has no serious or critical accessibility violations`, async () => {
          await reader.setViewportSize(DESKTOP);
          const target = new URL(path(), server.baseUrl);
          target.searchParams.set('lang', lang);
          const response = await reader.goto(target.toString());
          expect(response?.status()).toBe(200);
          expect(await reader.locator('html').getAttribute('lang')).toBe(lang);
          expect(summary(await seriousViolations(reader))).toEqual([]);
        });
      }
    }

    it('the tip queue has no serious or critical accessibility violations', async () => {
      await page.setViewportSize(DESKTOP);
      await page.goto(`${server.baseUrl}/newsroom/tips`);
      expect(summary(await seriousViolations(page))).toEqual([]);
    });
  });
});

/** The position, among the queue's tips, of the one whose text includes `text`. */
async function indexOfCard(page: Page, text: string): Promise<number> {
  const texts = await page.locator('.nr-tip').allInnerTexts();
  const index = texts.findIndex((t) => t.includes(text));
  if (index < 0) throw new Error(`no tip with "${text}" in the queue`);
  return index;
}
