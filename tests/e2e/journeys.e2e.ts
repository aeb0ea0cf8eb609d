import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { type Browser, launchBrowser, seriousViolations } from './helpers/browser';
import { focused, tabTo, typeDate } from './helpers/keyboard';
import { type Account, createAccount, signIn, signInWithKeyboard } from './helpers/newsroom';
import { serveOtherOrigin } from './helpers/other-origin';
import { andLoad, see, visibleText } from './helpers/see';
import { type E2eServer, startServer } from './helpers/server';

// Journeys 1 to 3 are one story, in order: a reporter logs quotes during a debate, an editor publishes
// one, a reader finds it. Journeys 4 and 5 stand alone. Each asserts what a person sees: text, focus, URL.

const EVENT = 'Debat publik kedua Pilkada Kota Contoh 2024';
const QUOTES = [
  {
    kind: 'Pernyataan',
    text: 'Angka kemiskinan di Kota Contoh turun dari sembilan persen menjadi enam persen.',
  },
  { kind: 'Pernyataan', text: 'Seluruh jalan kota sudah kami aspal ulang pada tahun 2023.' },
  {
    kind: 'Pernyataan',
    text: 'Dalam tiga tahun terakhir kami sudah membangun empat puluh gedung sekolah dasar baru.',
  },
  { kind: 'Janji', text: 'Kalau terpilih lagi, kami akan menggratiskan angkutan kota untuk pelajar.' },
  { kind: 'Pernyataan', text: 'Kota Contoh meraih opini WTP dari BPK lima tahun berturut-turut.' },
] as const;
const CHECKED = QUOTES[2];
const TITLE = 'Empat puluh gedung SD baru dalam tiga tahun';
const EVIDENCE = {
  url: 'https://example.org/dapodik/kota-contoh/sd-2021-2024',
  title: 'Data Pokok Pendidikan: SD negeri baru di Kota Contoh, 2021–2024',
  publisher: 'Kementerian Pendidikan (contoh)',
  published_on: '2024-10-15',
  excerpt: 'Tercatat 38 gedung SD negeri baru dan 2 gedung yang masih dikerjakan.',
};
const NOTE = 'Data pokok pendidikan mencatat 38 gedung selesai dan 2 masih dikerjakan.';

describe('browser journeys', () => {
  let server: E2eServer;
  let reporter: Account;
  let editor: Account;
  let candidateId: number;
  const browsers: Browser[] = [];

  async function browser(options: Parameters<typeof launchBrowser>[0] = {}): Promise<Browser> {
    const launched = await launchBrowser({ locale: 'id-ID', ...options });
    browsers.push(launched);
    return launched;
  }

  beforeAll(async () => {
    server = await startServer();
    reporter = await createAccount(server.db, 'reporter', 'Rani Reporter');
    editor = await createAccount(server.db, 'editor', 'Eko Editor');
    const election = await createElection(server.db, {
      slug: 'pilkada-kota-contoh-2024',
      name: 'Pilkada Kota Contoh 2024',
    });
    candidateId = (
      await createCandidate(server.db, {
        election_id: election.id,
        slug: 'ayu-contoh-bima-teladan',
        name: 'Ayu Contoh',
        running_mate: 'Bima Teladan',
      })
    ).id;
  });
  afterAll(async () => {
    for (const launched of browsers) await launched.close();
    await server?.stop();
  });

  const story = { claimPath: '', publicPath: '' };

  it('1. a reporter logs five quotes of a live debate in a row with the keyboard only, adds evidence to one, and submits it for review', async () => {
    const page = await (await browser()).context.newPage();
    await signInWithKeyboard(page, server.baseUrl, reporter);
    expect(await page.locator('h1').innerText()).toBe('Ruang redaksi');

    await tabTo(page, /^link "Catat klaim"/);
    await andLoad(page, () => page.keyboard.press('Enter'), /\/newsroom\/claims\/new$/);
    // The first quote: who, where, when and which kind, then the words; the cursor starts at the candidate.
    expect(await focused(page)).toMatch(/^combobox "Kandidat/);
    await page.keyboard.type('Ayu');
    // The debate is not in the list yet: the reporter creates it on the spot, by its name.
    await tabTo(page, /^text: Acara belum ada dalam daftar/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^textbox "Nama acara baru"/);
    await page.keyboard.type(EVENT);
    await tabTo(page, /^textbox "Tanggal diucapkan"/);
    await typeDate(page, '2024-11-04');
    expect(await page.getByLabel('Tanggal diucapkan').inputValue()).toBe('2024-11-04');
    await tabTo(page, /^combobox "Jenis/);
    await page.keyboard.type(QUOTES[0].kind);
    await tabTo(page, /^textbox "Kutipan/);

    for (const [index, quote] of QUOTES.entries()) {
      if (index > 0) {
        // Everything but the words is remembered, and the cursor waits in the quote field.
        expect(await focused(page)).toMatch(/^textbox "Kutipan/);
        expect(await selectedOption(page, 'Kandidat')).toBe('Ayu Contoh – Bima Teladan');
        expect(await page.locator('#f-event_id option:checked').innerText()).toContain(EVENT);
        expect(await page.getByLabel('Tanggal diucapkan').inputValue()).toBe('2024-11-04');
        if ((await selectedOption(page, 'Jenis')) !== quote.kind) {
          await tabTo(page, /^combobox "Jenis/, { backwards: true });
          await page.keyboard.type(quote.kind);
          await tabTo(page, /^textbox "Kutipan/);
        }
      }
      await page.keyboard.type(quote.text);
      await andLoad(page, () => page.keyboard.press('Control+Enter'), /\/newsroom\/claims\/new\?saved=\d+$/);
      const saved = await visibleText(page, '.nr-flash');
      expect(saved).toContain('Tersimpan sebagai draf:');
      expect(saved).toContain(quote.text);
      expect(saved).toContain('Ayu Contoh');
    }

    // Back on the dashboard, all five are among the reporter's drafts.
    await tabTo(page, /^link "Beranda redaksi"/, { backwards: true });
    await andLoad(page, () => page.keyboard.press('Enter'), /\/newsroom$/);
    const drafts = await visibleText(page, 'section[aria-labelledby="h-drafts"]');
    for (const quote of QUOTES) expect(drafts).toContain(quote.text.slice(0, 60));

    // The third quote gets a title, a piece of evidence and a proposed verdict, then goes to an editor.
    await tabTo(page, new RegExp(`^link "${escapeRegExp(CHECKED.text.slice(0, 40))}`));
    await andLoad(page, () => page.keyboard.press('Enter'), /\/newsroom\/claims\/\d+$/);
    story.claimPath = new URL(page.url()).pathname;
    expect(await page.locator('blockquote').innerText()).toBe(CHECKED.text);

    await tabTo(page, /^link "Ubah"/);
    await andLoad(page, () => page.keyboard.press('Enter'), /\/edit$/);
    await tabTo(page, /^textbox "Judul"/);
    await page.keyboard.type(TITLE);
    await andLoad(page, () => page.keyboard.press('Control+Enter'), /\/newsroom\/claims\/\d+$/);
    await see(page, 'Tersimpan.');
    expect(await page.locator('h1').innerText()).toBe(TITLE);

    await tabTo(page, /^link "Bukti \(0\)"/);
    await andLoad(page, () => page.keyboard.press('Enter'), /\/evidence$/);
    await tabTo(page, /^textbox "Alamat \(URL\)/);
    await page.keyboard.type(EVIDENCE.url);
    await tabTo(page, /^textbox "Judul/);
    await page.keyboard.type(EVIDENCE.title);
    await tabTo(page, /^textbox "Penerbit"/);
    await page.keyboard.type(EVIDENCE.publisher);
    await tabTo(page, /^textbox "Tanggal terbit"/);
    await typeDate(page, EVIDENCE.published_on);
    await tabTo(page, /^textbox "Kutipan dari sumber"/);
    await page.keyboard.type(EVIDENCE.excerpt);
    await tabTo(page, /^combobox "Sikap terhadap klaim/);
    await page.keyboard.type('Mendukung');
    await andLoad(page, () => page.keyboard.press('Control+Enter'), /\/evidence$/);
    await see(page, 'Bukti ditambahkan.');
    const evidenceList = await visibleText(page, 'ul.nr-list');
    expect(evidenceList).toContain(EVIDENCE.title);
    expect(evidenceList).toContain('Mendukung');

    await tabTo(page, new RegExp(`^link "${TITLE}"`));
    await andLoad(page, () => page.keyboard.press('Enter'), /\/newsroom\/claims\/\d+$/);
    await tabTo(page, /^link "Ubah status"/);
    await andLoad(page, () => page.keyboard.press('Enter'), /\/status$/);
    await tabTo(page, /^radio /);
    // Arrow keys move through a radio group and choose as they go.
    for (let i = 0; i < 6 && !/^radio "Sebagian besar benar.*\[checked\]/.test(await focused(page)); i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    expect(await focused(page)).toMatch(/^radio "Sebagian besar benar.*\[checked\]/);
    await tabTo(page, /^textbox "Catatan/);
    await page.keyboard.type(NOTE);
    await tabTo(page, new RegExp(`^checkbox "${escapeRegExp(EVIDENCE.title)}`));
    await page.keyboard.press('Space');
    expect(await focused(page)).toMatch(/\[checked\]/);
    await andLoad(page, () => page.keyboard.press('Control+Enter'), /\/newsroom\/claims\/\d+$/);
    await see(page, 'Usulan perubahan status terkirim ke editor.');
    await see(page, 'Belum diverifikasi → Sebagian besar benar');

    await tabTo(page, /^button "Ajukan untuk ditinjau"/);
    await andLoad(page, () => page.keyboard.press('Enter'), /\/newsroom\/claims\/\d+$/);
    await see(page, 'Klaim diajukan untuk ditinjau.');
    await see(page, 'Menunggu tinjauan editor.');
    expect(await page.locator('.nr-state').first().innerText()).toBe('Dalam peninjauan');
  }, 300_000);

  it('2. an editor opens the review queue, publishes the claim and approves the status change the reporter proposed with evidence', async () => {
    expect(story.claimPath, 'journey 1 left no claim to review').not.toBe('');
    const page = await (await browser()).context.newPage();
    await signIn(page, server.baseUrl, editor);

    await page
      .getByRole('navigation', { name: 'Navigasi ruang redaksi' })
      .getByRole('link', { name: 'Antrean tinjauan' })
      .click();
    await page.waitForURL(/\/newsroom\/review$/);
    const waiting = page.locator('section[aria-labelledby="h-in-review"]');
    expect(await waiting.innerText()).toContain(TITLE);
    const proposal = page.locator('.nr-card', { hasText: TITLE });
    const proposed = (await proposal.innerText()).replace(/\s+/g, ' ');
    expect(proposed).toContain('Belum diverifikasi → Sebagian besar benar');
    expect(proposed).toContain('Rani Reporter');
    expect(proposed).toContain(NOTE);
    expect(proposed).toContain(EVIDENCE.title);

    await waiting.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`${story.claimPath}$`));
    await page.getByRole('button', { name: 'Terbitkan' }).click();
    await see(page, 'Klaim diterbitkan.');
    expect(await page.locator('.nr-state').first().innerText()).toBe('Terbit');
    const publicLink = page.locator('a[href^="/claims/"]');
    story.publicPath = (await publicLink.getAttribute('href')) ?? '';
    expect(story.publicPath).toMatch(/^\/claims\/[a-z0-9-]+$/);

    await page.getByRole('link', { name: 'Antrean tinjauan' }).first().click();
    await page.waitForURL(/\/newsroom\/review$/);
    expect(await page.locator('section[aria-labelledby="h-in-review"]').innerText()).not.toContain(TITLE);
    await page.locator('.nr-card', { hasText: TITLE }).getByRole('button', { name: 'Setujui' }).click();
    await see(page, 'Perubahan status disetujui.');
    expect(await page.locator('.nr-card', { hasText: TITLE }).count()).toBe(0);

    await page.goto(`${server.baseUrl}${story.claimPath}`);
    expect(await visibleText(page, '.nr-meta')).toContain('Sebagian besar benar');
    await see(page, 'Disetujui');
  });

  it('3. a reader finds the claim by another form of a word, reads its verdict in English, copies the embed snippet, and the badge shows on another site', async () => {
    expect(story.publicPath, 'journey 2 published no claim').not.toBe('');
    const reader = await browser({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await reader.context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Semua klaim' }).first().click();
    await page.waitForURL(/\/claims$/);

    // "pembangunan" (construction) is nowhere in the claim; the quote says "membangun" (to build).
    const query = 'pembangunan sekolah';
    expect(`${TITLE} ${CHECKED.text}`.toLowerCase()).not.toContain('pembangunan');
    await page.getByRole('searchbox').fill(query);
    await Promise.all([
      page.waitForURL(/\/claims\?.*q=pembangunan/),
      page.getByRole('searchbox').press('Enter'),
    ]);
    expect(await page.getByRole('searchbox').inputValue()).toBe(query);
    expect(await page.locator('.result-count').innerText()).toBe('1 klaim');
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(new RegExp(`${story.publicPath}$`));
    expect(await page.locator('h1').innerText()).toBe(TITLE);
    expect(await page.locator('figure.quote blockquote').innerText()).toBe(CHECKED.text);
    expect(await page.locator('.verdict-head .meter-status').innerText()).toBe('Sebagian besar benar');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('.verdict-head .meter-status').innerText()).toBe('Mostly true');
    const timeline = await visibleText(page, 'section[aria-labelledby="timeline-heading"]');
    expect(timeline).toContain('Status history');
    expect(timeline).toContain('Not yet checked → Mostly true');
    expect(timeline).toContain(NOTE);
    expect(timeline).toContain(EVIDENCE.title);
    const evidence = await visibleText(page, 'section[aria-labelledby="evidence-heading"]');
    expect(evidence).toContain('Evidence');
    expect(evidence).toContain(EVIDENCE.title);
    expect(evidence).toContain('Supports');
    expect(evidence).toContain(EVIDENCE.excerpt);
    expect(await page.getByRole('link', { name: EVIDENCE.title }).first().getAttribute('href')).toBe(
      EVIDENCE.url,
    );

    // Copy the snippet as a reader does: into the field, select all, copy.
    await page.getByLabel('Copy this HTML to show the status badge on your site:').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    const snippet: string = await page.evaluate('navigator.clipboard.readText()');
    const canonical = `${server.baseUrl}${story.publicPath}`;
    const badgeUrl = `${canonical}/badge.svg`;
    expect(snippet).toContain(`<a href="${canonical}">`);
    expect(snippet).toContain(`<img src="${badgeUrl}"`);

    const other = await serveOtherOrigin(
      `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Harian Tetangga</title></head><body>` +
        `<h1>Cek fakta debat kedua</h1><p>${snippet}</p>` +
        `<iframe src="${badgeUrl}" title="Lencana Kawal Janji" width="320" height="40"></iframe></body></html>`,
    );
    try {
      const failed: string[] = [];
      page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
      // What the badge's address answered, to say why when the image does not show.
      const answers: string[] = [];
      page.on('response', (response) => {
        if (response.url() !== badgeUrl) return;
        const headers = response.headers();
        answers.push(
          `${response.status()} ${headers['content-type']} ${headers['content-length'] ?? ''} ` +
            `CORP=${headers['cross-origin-resource-policy'] ?? '-'}`,
        );
      });
      await page.goto(other.url, { waitUntil: 'load' });
      expect(new URL(page.url()).origin).not.toBe(new URL(server.baseUrl).origin);
      const image = page.locator(`img[src="${badgeUrl}"]`);
      const drawn = await image.evaluate((element: unknown) => {
        const img = element as { complete: boolean; naturalWidth: number };
        return { complete: img.complete, width: img.naturalWidth };
      });
      expect(drawn.complete).toBe(true);
      expect(
        drawn.width,
        `the badge did not draw; answers: ${answers.join(' | ')}; failed: ${failed}`,
      ).toBeGreaterThan(0);
      expect(await page.locator('a', { has: image }).getAttribute('href')).toBe(canonical);
      const frame = page.frames().find((f) => f.url() === badgeUrl);
      expect(frame, 'the badge frame did not load').toBeDefined();
      expect(await frame!.locator('svg').textContent()).toMatch(/Mostly true|Sebagian besar benar/);
      expect(failed).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('4. when two tabs edit the same claim, the second save shows the conflict with the typed input kept, and saving again loses nothing', async () => {
    const claim = await createClaim(server.db, {
      candidate_id: candidateId,
      workflow_state: 'draft',
      title: 'Judul awal dari debat',
      quote: 'Kami menanam sepuluh ribu pohon di tepi sungai.',
      created_by: reporter.id,
    });
    const { context } = await browser();
    const first = await context.newPage();
    await signIn(first, server.baseUrl, reporter);
    const second = await context.newPage();
    const editUrl = `${server.baseUrl}/newsroom/claims/${claim.id}/edit`;
    await first.goto(editUrl);
    await second.goto(editUrl);

    await first.getByLabel('Judul', { exact: true }).fill('Sepuluh ribu pohon ditanam di tepi sungai');
    await first.getByRole('button', { name: 'Simpan', exact: true }).first().click();
    await first.waitForURL(new RegExp(`/newsroom/claims/${claim.id}$`));
    await see(first, 'Tersimpan.');

    await second.getByLabel('Judul', { exact: true }).fill('Penanaman pohon di bantaran sungai');
    await second.getByLabel('Ringkasan penilaian').fill('Ringkasan yang diketik di tab kedua.');
    const [answer] = await Promise.all([
      second.waitForResponse((r) => r.request().method() === 'POST' && r.url() === editUrl),
      second.getByRole('button', { name: 'Simpan', exact: true }).first().click(),
    ]);
    expect(answer.status()).toBe(409);
    await second.waitForLoadState();
    expect(new URL(second.url()).pathname).toBe(`/newsroom/claims/${claim.id}/edit`);
    await see(second, 'Orang lain menyimpan perubahan lebih dulu');
    expect(await second.getByLabel('Judul', { exact: true }).inputValue()).toBe(
      'Penanaman pohon di bantaran sungai',
    );
    expect(await second.getByLabel('Ringkasan penilaian').inputValue()).toBe(
      'Ringkasan yang diketik di tab kedua.',
    );
    expect(await visibleText(second, '.nr-changed')).toContain(
      'Tersimpan sekarang: Sepuluh ribu pohon ditanam di tepi sungai',
    );
    expect(await seriousViolations(second)).toEqual([]);

    await second.getByRole('button', { name: 'Simpan', exact: true }).first().click();
    await second.waitForURL(new RegExp(`/newsroom/claims/${claim.id}$`));
    await see(second, 'Tersimpan.');
    expect(await second.locator('h1').innerText()).toBe('Penanaman pohon di bantaran sungai');
    await second.goto(`${server.baseUrl}/newsroom/claims/${claim.id}/history`);
    const history = await visibleText(second, 'main');
    expect(history).toContain('Sepuluh ribu pohon ditanam di tepi sungai');
    expect(history).toContain('Penanaman pohon di bantaran sungai');
    expect(history).toContain('Ringkasan yang diketik di tab kedua.');
  });

  it('5. after signing out, the back button does not show newsroom pages', async () => {
    const page = await (await browser()).context.newPage();
    await signIn(page, server.baseUrl, reporter);
    await page.goto(`${server.baseUrl}/newsroom/claims/new`);
    expect(await page.locator('h1').innerText()).toBe('Catat klaim');

    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/login\?signed_out=1$/);
    await see(page, 'Anda sudah keluar.');

    for (const leftPage of ['/newsroom/claims/new', '/newsroom']) {
      await page.goBack();
      await page.waitForLoadState();
      const url = new URL(page.url());
      expect(url.pathname).toBe('/login');
      expect(url.searchParams.get('next')).toBe(leftPage);
      expect(await page.locator('h1').innerText()).toBe('Masuk ke ruang redaksi');
      expect(await page.getByRole('navigation', { name: 'Navigasi ruang redaksi' }).count()).toBe(0);
      expect(await visibleText(page)).not.toContain('Rani Reporter');
    }
  });
});

async function selectedOption(page: Page, label: string): Promise<string> {
  const id = await page.getByLabel(label).getAttribute('id');
  return (await page.locator(`#${id} option:checked`).innerText()).trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
