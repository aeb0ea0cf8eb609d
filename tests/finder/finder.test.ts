import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { BLNS, OURS } from '../hostile/strings';
import { pdfWithLines } from './pdf-file';

const ARTICLE = [
  'Debat kedua Pilkada Kota Contoh berlangsung Sabtu malam.',
  '"Kami akan membangun 25 puskesmas pembantu dalam lima tahun," kata Budi Santoso.',
  '"Angka pengangguran turun dari 9 persen menjadi 6 persen sejak 2021," ujar Siti Aminah.',
  'Menurut Budi, anggaran banjir Rp 300 miliar akan dinaikkan.',
].join('\n\n');

describe('the finder', () => {
  const ctx = useNewsroomApp();

  async function election() {
    const e = await createElection(ctx.db);
    const budi = await createCandidate(ctx.db, {
      election_id: e.id,
      name: 'Budi Santoso',
      running_mate: 'Rina',
    });
    const siti = await createCandidate(ctx.db, {
      election_id: e.id,
      name: 'Siti Aminah',
      running_mate: 'Joko',
    });
    return { election: e, budi, siti };
  }

  const draftsFrom = (userId: number) => ctx.db('claims').where({ created_by: userId }).orderBy('id');

  it('shows its form to a reporter; someone signed out is sent to sign in', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const page = await reporter.get('/newsroom/finder').expect(200);
    expect(page.text).toContain('Cari klaim dalam teks');
    expect(page.text).toContain('enctype="multipart/form-data"');
    const anonymous = await request(ctx.app).get('/newsroom/finder');
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    await request(ctx.app).post('/newsroom/finder').set('Accept', 'application/json').expect(401);
  });

  it('saves the ticked suggestions, as corrected, as drafts carrying the source, one audit row each', async () => {
    const { election: e, budi, siti } = await election();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const source = {
      source_publisher: 'Kabar Contoh',
      source_title: 'Debat kedua',
      source_url: 'https://kabar.example/debat',
    };
    const page = await reporter
      .post('/newsroom/finder', { election_id: e.id, text: ARTICLE, ...source })
      .expect(200);
    const quotes = [...page.text.matchAll(/name="quote_(\d+)"[^>]*>([^<]*)</g)].map((m) => ({
      n: m[1]!,
      quote: m[2]!,
    }));
    const jobs = quotes.find((q) => q.quote.startsWith('Angka pengangguran'))!;
    const clinics = quotes.find((q) => q.quote.startsWith('Kami akan membangun'))!;
    expect(jobs && clinics).toBeTruthy();
    expect(page.text).toMatch(
      new RegExp(`name="candidate_id_${jobs.n}"[\\s\\S]*?<option value="${siti.id}" selected>`),
    );
    expect(await draftsFrom(reporter.user.id)).toHaveLength(0);

    const saved = await reporter
      .post('/newsroom/finder/save', {
        election_id: e.id,
        ...source,
        text: ARTICLE,
        keep: [jobs.n, clinics.n],
        [`quote_${jobs.n}`]: 'Angka pengangguran turun dari 9 persen menjadi 6 persen sejak 2021,',
        [`candidate_id_${jobs.n}`]: siti.id,
        [`kind_${jobs.n}`]: 'statement',
        [`title_${jobs.n}`]: 'Pengangguran turun dari 9 menjadi 6 persen',
        [`quote_${clinics.n}`]: 'Kami akan membangun 25 puskesmas pembantu dalam lima tahun,',
        [`candidate_id_${clinics.n}`]: budi.id,
        [`kind_${clinics.n}`]: 'promise',
        // Not ticked: never saved.
        quote_99: 'Tidak dicentang',
      })
      .expect(303);
    expect(saved.headers.location).toBe('/newsroom/claims?state=draft&found=2');
    const drafts = await draftsFrom(reporter.user.id);
    expect(drafts).toHaveLength(2);
    const byCandidate = new Map(drafts.map((d) => [d.candidate_id, d]));
    expect(byCandidate.get(siti.id)).toMatchObject({
      kind: 'statement',
      status: 'unverified',
      workflow_state: 'draft',
      title: 'Pengangguran turun dari 9 menjadi 6 persen',
      quote_is_paraphrase: false,
      ...source,
    });
    expect(byCandidate.get(budi.id)).toMatchObject({ kind: 'promise', status: 'not_rated', title: null });
    const audit = await ctx
      .db('audit_log')
      .whereIn(
        'entity_id',
        drafts.map((d) => d.id),
      )
      .where({ entity: 'claim' });
    expect(audit.map((a) => a.action)).toEqual(['claim.finder', 'claim.finder']);
    expect(audit.every((a) => a.actor_id === reporter.user.id)).toBe(true);
  });

  it('drafts from captions carry the chosen event and the moment each was said; another election’s event is refused', async () => {
    const { election: e, budi } = await election();
    const elsewhere = await createElection(ctx.db);
    const [debate, other] = await ctx
      .db('events')
      .insert([
        {
          slug: `debat-${e.id}`,
          election_id: e.id,
          kind: 'debate',
          name: 'Debat kedua',
          held_on: '2024-11-04',
        },
        {
          slug: `debat-${elsewhere.id}`,
          election_id: elsewhere.id,
          kind: 'debate',
          name: 'Debat lain',
          held_on: '2024-11-05',
        },
      ])
      .returning(['id']);
    const captions = [
      '1',
      '00:41:05,200 --> 00:41:09,000',
      'BUDI SANTOSO: Kami akan membangun 25 puskesmas pembantu dalam lima tahun.',
      '',
    ].join('\n');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const form = await reporter.get('/newsroom/finder').expect(200);
    expect(form.text).toMatch(
      new RegExp(`<option value="${debate!.id}">Debat kedua \\(2024-11-04\\)</option>`),
    );
    const page = await reporter
      .post('/newsroom/finder', { election_id: e.id, event_id: debate!.id, text: captions })
      .expect(200);
    const n = /name="moment_(\d+)" value="00:41:05"/.exec(page.text)?.[1];
    expect(n).toBeDefined();
    expect(page.text).toContain(`name="event_id" value="${debate!.id}"`);
    await reporter
      .post('/newsroom/finder/save', {
        election_id: e.id,
        event_id: debate!.id,
        text: captions,
        keep: n!,
        [`quote_${n}`]: 'Kami akan membangun 25 puskesmas pembantu dalam lima tahun.',
        [`candidate_id_${n}`]: budi.id,
        [`kind_${n}`]: 'promise',
        [`moment_${n}`]: '00:41:05',
      })
      .expect(303);
    const [draft] = await draftsFrom(reporter.user.id);
    expect(draft).toMatchObject({ event_id: debate!.id, moment: '00:41:05' });

    const refused = await reporter
      .post('/newsroom/finder', { election_id: e.id, event_id: other!.id, text: captions })
      .set('Accept', 'application/json')
      .expect(400);
    expect(refused.body.error.details.fields).toEqual({ event_id: 'event_not_in_election' });
    const badMoment = await reporter.post('/newsroom/finder/save', {
      election_id: e.id,
      text: captions,
      keep: '0',
      quote_0: 'Kami akan membangun 25 puskesmas pembantu dalam lima tahun.',
      candidate_id_0: budi.id,
      kind_0: 'promise',
      moment_0: '99:99',
    });
    expect(badMoment.status).toBe(400);
    expect(await draftsFrom(reporter.user.id)).toHaveLength(1);
  });

  it('a save that fails mid-way saves nothing, and shows the list again with what was typed', async () => {
    const { election: e, budi, siti } = await election();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    // The database itself refuses the second insert (a check that fails after the first row is in).
    await ctx.db.raw(`
      CREATE OR REPLACE FUNCTION refuse_finder_marker() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.quote LIKE '%GAGAL-DI-TENGAH%' THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$`);
    await ctx.db.raw(
      'CREATE TRIGGER refuse_finder_marker BEFORE INSERT ON claims FOR EACH ROW EXECUTE FUNCTION refuse_finder_marker()',
    );
    try {
      const auditBefore = await ctx.db('audit_log').count({ n: '*' }).first();
      const res = await reporter.post('/newsroom/finder/save', {
        election_id: e.id,
        text: ARTICLE,
        keep: ['0', '1', '2'],
        quote_0: 'Baris pertama yang sah dan tersimpan lebih dulu.',
        candidate_id_0: budi.id,
        kind_0: 'statement',
        quote_1: 'Baris kedua GAGAL-DI-TENGAH penyimpanan.',
        candidate_id_1: siti.id,
        kind_1: 'statement',
        quote_2: 'Baris ketiga.',
        candidate_id_2: siti.id,
        kind_2: 'promise',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await draftsFrom(reporter.user.id)).toHaveLength(0);
      expect(await ctx.db('audit_log').count({ n: '*' }).first()).toEqual(auditBefore);
    } finally {
      await ctx.db.raw('DROP TRIGGER refuse_finder_marker ON claims');
      await ctx.db.raw('DROP FUNCTION refuse_finder_marker()');
    }
  });

  it('a ticked suggestion without a candidate: 400 on that row, nothing saved, the typed words kept', async () => {
    const { election: e, budi } = await election();
    const other = await createCandidate(ctx.db);
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const res = await reporter
      .post('/newsroom/finder/save', {
        election_id: e.id,
        text: ARTICLE,
        keep: ['0', '1', '2'],
        quote_0: 'Kalimat yang diperbaiki wartawan dan tetap tampil.',
        candidate_id_0: budi.id,
        kind_0: 'statement',
        quote_1: 'Tanpa calon.',
        candidate_id_1: '',
        kind_1: 'statement',
        quote_2: 'Calon dari pemilihan lain.',
        candidate_id_2: other.id,
        kind_2: 'statement',
      })
      .expect(400);
    expect(res.text).toContain('perlu diperbaiki');
    expect(res.text).toContain('Kalimat yang diperbaiki wartawan dan tetap tampil.');
    expect(res.text).toMatch(/id="f-candidate_id_1-error"/);
    expect(res.text).toMatch(/id="f-candidate_id_2-error"/);
    expect(await draftsFrom(reporter.user.id)).toHaveLength(0);
    const nothing = await reporter
      .post('/newsroom/finder/save', { election_id: e.id, text: ARTICLE })
      .expect(400);
    expect(nothing.text).toContain('Centang dulu');
  });

  it('flags a suggestion that repeats a rated claim with that claim’s verdict', async () => {
    const { election: e, siti } = await election();
    const rated = await createClaim(ctx.db, {
      candidate_id: siti.id,
      election_id: e.id,
      kind: 'statement',
      status: 'false',
      quote: 'Angka pengangguran turun dari 9 persen menjadi 6 persen sejak 2021,',
    });
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const json = await reporter
      .post('/newsroom/finder', { election_id: e.id, text: ARTICLE })
      .set('Accept', 'application/json')
      .expect(200);
    const jobs = json.body.suggestions.find((s: { quote: string }) =>
      s.quote.startsWith('Angka pengangguran'),
    );
    expect(jobs.duplicates).toContainEqual(
      expect.objectContaining({ id: rated.id, status: 'false', status_label: 'Keliru', similarity: 1 }),
    );
    const page = await reporter.post('/newsroom/finder', { election_id: e.id, text: ARTICLE }).expect(200);
    expect(page.text).toContain('Pengulangan klaim yang sudah dinilai: Keliru.');
  });

  it('reads a PDF, and refuses a file that is not one, broken captions and too many words with a message', async () => {
    const { election: e, siti } = await election();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const upload = (file: Buffer, name: string, lang = 'id') =>
      reporter.agent
        .post(`/newsroom/finder?lang=${lang}`)
        .set('Accept', 'application/json')
        .field('_csrf', reporter.csrf)
        .field('election_id', String(e.id))
        .attach('file', file, name);

    const pdf = pdfWithLines([
      'Visi dan misi Siti Aminah - Joko',
      '1. Membangun 12 pasar rakyat baru di setiap kecamatan.',
      '2. Menggratiskan seragam sekolah bagi 40 ribu siswa.',
    ]);
    const fromPdf = await upload(pdf, 'visi-misi.pdf').expect(200);
    expect(fromPdf.body.suggestions.map((s: { quote: string }) => s.quote)).toEqual(
      expect.arrayContaining(['Membangun 12 pasar rakyat baru di setiap kecamatan.']),
    );
    expect(fromPdf.body.suggestions[0]).toMatchObject({ kind: 'promise', candidate: { id: siti.id } });

    const notPdf = await upload(Buffer.from('%PDF-1.7\nini bukan pdf sama sekali'), 'palsu.pdf').expect(400);
    expect(notPdf.body.error.details.fields).toEqual({ file: 'pdf_invalid' });
    const html = await reporter.agent
      .post('/newsroom/finder')
      .field('_csrf', reporter.csrf)
      .field('election_id', String(e.id))
      .attach('file', Buffer.from('GIF89a bukan pdf'), 'gambar.pdf')
      .expect(400);
    expect(html.text).toContain('Berkas ini bukan PDF yang dapat dibaca.');

    const broken = await reporter.agent
      .post('/newsroom/finder?lang=en')
      .field('_csrf', reporter.csrf)
      .field('election_id', String(e.id))
      .attach('file', Buffer.from('1\n00:00:01,000 --> 00:61:00,000\nHalo semua\n'), 'debat.srt')
      .expect(400);
    expect(broken.text).toContain('A caption timing line cannot be read');

    const manyWords = Buffer.from('kata '.repeat(20_001));
    const tooLong = await upload(manyWords, 'panjang.txt').expect(400);
    expect(tooLong.body.error.details.fields).toEqual({ file: 'finder_too_many_words' });

    const big = await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), 'besar.txt');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('finder_file_too_large');
    const bigPage = await reporter.agent
      .post('/newsroom/finder')
      .field('_csrf', reporter.csrf)
      .field('election_id', String(e.id))
      .attach('file', Buffer.alloc(5 * 1024 * 1024 + 1, 'a'), 'besar.srt');
    expect(bigPage.status).toBe(413);
    expect(bigPage.text).toContain('paling besar 5 MB');
    // Exactly 5 MB is read: here, far more words than the finder takes.
    const five = await upload(Buffer.from('kata '.repeat((5 * 1024 * 1024) / 5)), 'lima.txt').expect(400);
    expect(five.body.error.details.fields).toEqual({ file: 'finder_too_many_words' });
    const notUtf8 = await upload(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0xc3]), 'latin.txt').expect(400);
    expect(notUtf8.body.error.details.fields).toEqual({ file: 'not_utf8' });
    const word = await upload(Buffer.from('PK\u0003\u0004'), 'naskah.docx').expect(400);
    expect(word.body.error.details.fields).toEqual({ file: 'finder_file_type' });
  });

  it('hostile strings as the text, the source and the corrected quote: a clear answer, never a 5xx, shown as text', async () => {
    const { election: e, budi } = await election();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const strings = [...OURS, ...BLNS.filter((_, i) => i % 15 === 0)];
    for (const hostile of strings) {
      const text = `${hostile}\n\n"${hostile} kami akan membangun 10 jembatan," kata Budi Santoso.`;
      const res = await reporter.post('/newsroom/finder', {
        election_id: e.id,
        text,
        source_title: hostile,
        source_publisher: hostile,
      });
      expect(res.status, hostile).toBeLessThan(500);
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
    const json = await reporter
      .post('/newsroom/finder', { election_id: '1 OR 1=1', text: 'x' })
      .set('Accept', 'application/json')
      .expect(400);
    expect(json.body.error.details.fields.election_id).toBe('invalid_choice');
    const nul = await reporter.post('/newsroom/finder', { election_id: e.id, text: 'a\u0000b' }).expect(400);
    expect(nul.text).toContain('NUL');
    const saved = await reporter
      .post('/newsroom/finder/save', {
        election_id: e.id,
        keep: '0',
        quote_0: OURS[0]!,
        candidate_id_0: budi.id,
        kind_0: 'statement',
      })
      .expect(303);
    expect(saved.headers.location).toContain('found=1');
    const [draft] = await draftsFrom(reporter.user.id);
    expect(draft.quote).toBe(OURS[0]);
    // Over a hundred analyses: minutes on the embedded engine of a busy two-core machine.
  }, 240_000);
});
