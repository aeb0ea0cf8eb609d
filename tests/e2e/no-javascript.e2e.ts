import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, createElection } from '../helpers/factories';
import { type Browser, launchBrowser } from './helpers/browser';
import { type Account, createAccount, signIn } from './helpers/newsroom';
import { see, visibleText } from './helpers/see';
import { type E2eServer, startServer } from './helpers/server';

// Every page is plain HTML forms and links; scripts only add shortcuts. This journey runs in a Chromium
// with JavaScript turned off, from the newsroom to a reader.

const QUOTE =
  'Tahun depan seluruh pasar tradisional kami lengkapi dengan tempat cuci tangan dan saluran air.';
const TITLE = 'Tempat cuci tangan di seluruh pasar tradisional';
const EVIDENCE_TITLE = 'Dinas Perdagangan: fasilitas cuci tangan terpasang di 14 pasar';

describe('with JavaScript turned off', () => {
  let server: E2eServer;
  let browser: Browser;
  let editor: Account;

  beforeAll(async () => {
    server = await startServer();
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    const election = await createElection(server.db, {
      slug: 'pilkada-kota-contoh-2024',
      name: 'Pilkada Kota Contoh 2024',
    });
    await createCandidate(server.db, {
      election_id: election.id,
      slug: 'ayu-contoh-bima-teladan',
      name: 'Ayu Contoh',
      running_mate: 'Bima Teladan',
    });
    browser = await launchBrowser({ locale: 'id-ID', javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an editor logs, documents, rates and publishes a promise, and a reader finds it and reads it in English', async () => {
    const page = await browser.context.newPage();
    await signIn(page, server.baseUrl, editor);
    await page.getByRole('link', { name: 'Catat klaim' }).first().click();
    await page.waitForURL(/\/newsroom\/claims\/new$/);
    await page.getByLabel('Kandidat').selectOption({ label: 'Ayu Contoh – Bima Teladan' });
    await page.getByLabel('Jenis').selectOption({ label: 'Janji' });
    await page.getByLabel('Kutipan', { exact: false }).first().fill(QUOTE);
    // The Ctrl+Enter shortcut is a script: with scripts off it does nothing, and the buttons still work.
    // Any form the shortcut sent would show up as a POST while the rest of the form is filled in.
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') sent.push(request.url());
    });
    await page.getByLabel('Kutipan').first().press('Control+Enter');
    await page.getByText('Rincian lain').click();
    await page.getByLabel('Judul', { exact: true }).fill(TITLE);
    await page.getByLabel('Tenggat').fill('2025-12-31');
    expect(sent).toEqual([]);
    expect(new URL(page.url()).pathname).toBe('/newsroom/claims/new');
    expect(await page.locator('.nr-flash').count()).toBe(0);
    expect(await page.getByLabel('Kutipan').first().inputValue()).toBe(QUOTE);
    await page.getByRole('button', { name: 'Simpan & buka' }).click();
    await page.waitForURL(/\/newsroom\/claims\/\d+$/);
    await see(page, 'Tersimpan.');
    expect(await page.locator('h1').innerText()).toBe(TITLE);

    await page.getByRole('link', { name: 'Bukti (0)' }).click();
    await page.getByLabel('Alamat (URL)').fill('https://example.org/disperindag/cuci-tangan-pasar');
    await page.getByLabel('Judul', { exact: false }).first().fill(EVIDENCE_TITLE);
    await page.getByLabel('Sikap terhadap klaim').selectOption({ label: 'Mendukung' });
    await page.getByRole('button', { name: 'Tambah bukti' }).click();
    await see(page, 'Bukti ditambahkan.');

    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('link', { name: 'Ubah status' }).click();
    await page.getByRole('radio', { name: /^Ditepati(?! sebagian)/ }).check();
    await page
      .getByLabel('Catatan')
      .fill('Dinas Perdagangan memasang fasilitas cuci tangan di semua 14 pasar.');
    await page.getByRole('checkbox', { name: new RegExp(EVIDENCE_TITLE) }).check();
    await page.getByRole('button', { name: 'Ubah status' }).click();
    await see(page, 'Status diubah.');
    await page.getByRole('button', { name: 'Terbitkan' }).click();
    await see(page, 'Klaim diterbitkan.');

    const reader = await browser.context.newPage();
    await reader.goto(`${server.baseUrl}/claims`);
    await reader.getByRole('searchbox').fill('pasar cuci tangan');
    await reader.getByRole('button', { name: 'Terapkan' }).click();
    await reader.waitForURL(/q=pasar/);
    await reader.getByRole('link', { name: TITLE }).click();
    await reader.waitForURL(/\/claims\/[a-z0-9-]+$/);
    expect(await reader.locator('.verdict-head .meter-status').innerText()).toBe('Ditepati');
    expect(await visibleText(reader, 'section[aria-labelledby="timeline-heading"]')).toContain(
      'Belum dinilai → Ditepati',
    );
    await reader.getByRole('link', { name: 'English' }).click();
    await reader.waitForURL(/lang=en/);
    expect(await reader.locator('.verdict-head .meter-status').innerText()).toBe('Kept');
    const timeline = await visibleText(reader, 'section[aria-labelledby="timeline-heading"]');
    expect(timeline).toContain('Not yet rated → Kept');
    expect(timeline).toContain(EVIDENCE_TITLE);
  });
});
