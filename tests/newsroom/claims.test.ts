import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown';
import { createCandidate, createClaim, createElection, createTopic } from '../helpers/factories';
import { idFromLocation, signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('claim entry and editing', () => {
  const ctx = useNewsroomApp();

  it('live entry: ten quotes in a row, each form remembering the last election, candidate, event, date and kind', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db, { name: 'Calon Debat Langsung' });
    const first = await reporter
      .post('/newsroom/claims/new', {
        election_id: candidate.election_id,
        candidate_id: candidate.id,
        kind: 'promise',
        event: 'Debat kedua',
        said_on: '2024-11-04',
        quote: 'Kutipan nomor 1',
      })
      .expect(303);
    expect(first.headers.location).toMatch(/^\/newsroom\/claims\/new\?saved=\d+$/);
    // The event named is made on the spot, and chosen in the list from then on.
    const event = await ctx
      .db('events')
      .where({ election_id: candidate.election_id, name: 'Debat kedua' })
      .first();
    expect(event?.held_on).toBe('2024-11-04');
    for (let n = 2; n <= 10; n += 1) {
      const form = await reporter.get('/newsroom/claims/new').expect(200);
      expect(form.text).toContain(`<option value="${candidate.id}" selected>`);
      expect(form.text).toContain(`<option value="${event.id}" selected>`);
      expect(form.text).toContain('value="2024-11-04"');
      expect(form.text).toContain('<option value="promise" selected>');
      // The quote field is focused, ready for typing.
      expect(form.text).toMatch(/<textarea id="f-quote" name="quote"[^>]*autofocus/);
      await reporter
        .post('/newsroom/claims/new', {
          election_id: candidate.election_id,
          candidate_id: candidate.id,
          kind: 'promise',
          event_id: event.id,
          said_on: '2024-11-04',
          quote: `Kutipan nomor ${n}`,
        })
        .expect(303);
    }
    const claims = await ctx.db('claims').where({ candidate_id: candidate.id }).orderBy('id');
    expect(claims.map((c) => c.quote)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Kutipan nomor ${i + 1}`),
    );
    expect(new Set(claims.map((c) => c.slug)).size).toBe(10);
    expect(
      claims.every((c) => c.workflow_state === 'draft' && c.status === 'not_rated' && c.title === null),
    ).toBe(true);
    const confirmation = await reporter.get(`/newsroom/claims/new?saved=${claims[9].id}`).expect(200);
    expect(confirmation.text).toContain('Kutipan nomor 10');
  }, 90_000);

  it('the claim’s election comes from its candidate; a mismatched election is refused on the candidate field', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const otherElection = await createElection(ctx.db);
    const res = await reporter
      .post('/newsroom/claims/new', {
        election_id: otherElection.id,
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Salah pemilihan',
      })
      .expect(400);
    expect(res.text).toContain('Kandidat ini tidak ikut dalam pemilihan yang dipilih.');
    const ok = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Tanpa pemilihan',
      })
      .expect(303);
    const claim = await ctx
      .db('claims')
      .where({ id: idFromLocation(ok.headers.location) })
      .first();
    expect(claim.election_id).toBe(candidate.election_id);
  });

  it('validation: field-level messages in the page language, and the form keeps what was typed', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const fields = {
      candidate_id: candidate.id,
      kind: 'statement',
      quote: '',
      title: 'Judul <b>yang</b> diketik',
      said_on: '2024-02-30',
      source_url: 'javascript:alert(1)',
      deadline: '2029-01-01',
    };
    const id = await reporter.post('/newsroom/claims/new', fields).expect(400);
    expect(id.text).toContain('Wajib diisi.');
    expect(id.text).toContain('Tulis tanggal yang benar (TTTT-BB-HH).');
    expect(id.text).toContain('Hanya alamat http:// atau https:// yang lengkap.');
    expect(id.text).toContain('Tenggat hanya untuk janji.');
    expect(id.text).toContain('value="Judul &lt;b&gt;yang&lt;/b&gt; diketik"');
    expect(id.text).toContain('value="2024-02-30"');
    expect(id.text).toContain('aria-invalid="true"');
    const en = await reporter.post('/newsroom/claims/new?lang=en', fields).expect(400);
    expect(en.text).toContain('Required.');
    expect(en.text).toContain('Write a real date (YYYY-MM-DD).');
    expect(en.text).toContain('Only promises have a deadline.');
    expect(await ctx.db('claims').where({ title: 'Judul <b>yang</b> diketik' })).toHaveLength(0);
  });

  it('a slug is made at creation from the title (or the quote) and never changes, not even when the title does', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const candidate = await createCandidate(ctx.db);
    const make = async (fields: Record<string, string | number>) =>
      idFromLocation(
        (
          await editor
            // The same title twice on purpose: past the question about a possible duplicate.
            .post('/newsroom/claims/new', {
              candidate_id: candidate.id,
              kind: 'statement',
              confirm_duplicates: '1',
              ...fields,
            })
            .expect(303)
        ).headers.location,
      );
    const a = await make({ quote: 'x', title: 'Pemangkasan OPD: dari 40 jadi 30' });
    const b = await make({ quote: 'y', title: 'Pemangkasan OPD: dari 40 jadi 30' });
    const c = await make({
      quote: 'Dulu ada empat puluh OPD di kota ini, sekarang tinggal tiga puluh saja ya',
    });
    const slugOf = async (id: number) => (await ctx.db('claims').where({ id }).first()).slug;
    expect(await slugOf(a)).toBe('pemangkasan-opd-dari-40-jadi-30');
    expect(await slugOf(b)).toBe('pemangkasan-opd-dari-40-jadi-30-2');
    expect(await slugOf(c)).toBe('dulu-ada-empat-puluh-opd-di-kota-ini-sekarang-tinggal');

    await editor.post(`/newsroom/claims/${a}/publish`).expect(303);
    const claim = await ctx.db('claims').where({ id: a }).first();
    await editor
      .post(`/newsroom/claims/${a}/edit`, {
        version: claim.version,
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'x',
        title: 'Judul yang benar-benar berbeda',
      })
      .expect(303);
    expect(await slugOf(a)).toBe('pemangkasan-opd-dari-40-jadi-30');
  });

  it('a stale save gets 409: the form keeps the user’s input, shows what changed meanwhile, and nothing is overwritten', async () => {
    const alice = await signInAs(ctx.app, ctx.db, 'reporter', { display_name: 'Alice Reporter' });
    const bob = await signInAs(ctx.app, ctx.db, 'reporter', { display_name: 'Bob Reporter' });
    const candidate = await createCandidate(ctx.db);
    const created = await alice
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Kutipan awal',
        title: 'Judul awal',
      })
      .expect(303);
    const id = idFromLocation(created.headers.location);
    const base = { version: 1, candidate_id: candidate.id, kind: 'statement', quote: 'Kutipan awal' };

    // Both opened the form at version 1. Bob saves first.
    await bob.post(`/newsroom/claims/${id}/edit`, { ...base, title: 'Judul dari Bob' }).expect(303);
    const res = await alice
      .post(`/newsroom/claims/${id}/edit`, { ...base, title: 'Judul dari Alice' })
      .expect(409);
    expect(res.text).toContain('Orang lain menyimpan perubahan lebih dulu');
    expect(res.text).toContain('Bob Reporter');
    expect(res.text).toContain('value="Judul dari Alice"');
    expect(res.text).toContain('Judul dari Bob');
    // The form now carries the current version, so a deliberate second save goes through.
    expect(res.text).toContain('name="version" value="2"');

    const stored = await ctx.db('claims').where({ id }).first();
    expect(stored).toMatchObject({ title: 'Judul dari Bob', version: 2 });
    await alice
      .post(`/newsroom/claims/${id}/edit`, { ...base, version: 2, title: 'Judul dari Alice' })
      .expect(303);
    expect((await ctx.db('claims').where({ id }).first()).title).toBe('Judul dari Alice');
  });

  it('a stale workflow action (publishing what changed since it was read) gets 409 and does nothing', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { workflow_state: 'in_review', version: 3 });
    await editor.post(`/newsroom/claims/${claim.id}/publish`, { version: 2 }).expect(409);
    expect((await ctx.db('claims').where({ id: claim.id }).first()).workflow_state).toBe('in_review');
  });

  it('reporters edit drafts; published claims are the editors’, whose edits may carry a public correction note', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { workflow_state: 'published', kind: 'statement' });
    const fields = {
      version: claim.version,
      candidate_id: claim.candidate_id,
      kind: 'statement',
      quote: claim.quote,
      title: 'Judul dikoreksi',
    };
    await reporter.get(`/newsroom/claims/${claim.id}/edit`).expect(403);
    await reporter.post(`/newsroom/claims/${claim.id}/edit`, fields).expect(403);
    const form = await editor.get(`/newsroom/claims/${claim.id}/edit`).expect(200);
    expect(form.text).toContain('name="correction_note"');
    await editor
      .post(`/newsroom/claims/${claim.id}/edit`, {
        ...fields,
        correction_note: 'Judul semula keliru menyebut angka.',
      })
      .expect(303);
    const [correction] = await ctx.db('corrections').where({ claim_id: claim.id });
    expect(correction).toMatchObject({
      kind: 'edited',
      note: 'Judul semula keliru menyebut angka.',
      created_by: editor.user.id,
    });
    // Without a note, an edit is not announced.
    await editor
      .post(`/newsroom/claims/${claim.id}/edit`, {
        ...fields,
        version: claim.version + 1,
        title: 'Judul lagi',
      })
      .expect(303);
    expect(await ctx.db('corrections').where({ claim_id: claim.id })).toHaveLength(1);
  });

  it('the explanation is stored with its HTML when saved, and a change made elsewhere is never shown stale', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, {
      workflow_state: 'published',
      kind: 'statement',
      title: 'Penjelasan tersimpan',
    });
    const stored = async () =>
      (await ctx.db('claims').where({ id: claim.id }).first()) as {
        version: number;
        explanation: string | null;
        explanation_html: string | null;
      };
    const page = async () => (await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text;
    const fields = {
      candidate_id: claim.candidate_id,
      kind: 'statement',
      quote: claim.quote,
      title: claim.title,
    };
    const save = async (explanation: string) =>
      editor
        .post(`/newsroom/claims/${claim.id}/edit`, {
          ...fields,
          version: (await stored()).version,
          explanation,
        })
        .expect(303);

    await save('Menurut **BPS**, lihat [data](https://bps.go.id/data) dan <script>x()</script>.');
    let row = await stored();
    expect(row.explanation_html).toBe(renderMarkdown(row.explanation));
    expect(row.explanation_html).toContain('<strong>BPS</strong>');
    expect(row.explanation_html).toContain('&lt;script&gt;');
    expect(await page()).toContain(row.explanation_html);

    await save('Diganti: *angka baru*.');
    row = await stored();
    expect(row.explanation_html).toBe('<p>Diganti: <em>angka baru</em>.</p>\n');
    expect(await page()).toContain('<em>angka baru</em>');

    // Written by something other than the app (a psql session, a script): the HTML is dropped by the
    // database, and the page renders the new text itself.
    await ctx.db('claims').where({ id: claim.id }).update({ explanation: 'Dari psql: **tebal**.' });
    row = await stored();
    expect(row.explanation_html).toBeNull();
    const html = await page();
    expect(html).toContain('<strong>tebal</strong>');
    expect(html).not.toContain('angka baru');

    await save('');
    row = await stored();
    expect(row).toMatchObject({ explanation: null, explanation_html: null });
    expect(await page()).not.toContain('tebal');
  });

  it('beyond draft a title is required: submitting an untitled draft is refused with a message', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { workflow_state: 'draft', title: null });
    const res = await reporter.post(`/newsroom/claims/${claim.id}/submit`).expect(400);
    expect(res.text).toContain('Judul wajib diisi sebelum klaim diajukan atau diterbitkan.');
    expect((await ctx.db('claims').where({ id: claim.id }).first()).workflow_state).toBe('draft');
  });

  it('the kind can change while the claim is unrated, and not after', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { workflow_state: 'draft', kind: 'statement' });
    const fields = { candidate_id: claim.candidate_id, quote: claim.quote, title: claim.title };
    await editor
      .post(`/newsroom/claims/${claim.id}/edit`, {
        ...fields,
        version: 1,
        kind: 'promise',
        deadline: '2030-12-31',
      })
      .expect(303);
    expect(await ctx.db('claims').where({ id: claim.id }).first()).toMatchObject({
      kind: 'promise',
      status: 'not_rated',
      deadline: '2030-12-31',
    });
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'in_progress', note: 'Mulai dikerjakan.' })
      .expect(303);
    const res = await editor
      .post(`/newsroom/claims/${claim.id}/edit`, { ...fields, version: 3, kind: 'statement' })
      .expect(400);
    expect(res.text).toContain('Jenis tidak dapat diubah');
  });

  it('topics are chosen by id; the draft list, workflow and return-to-draft work from the claim page', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const candidate = await createCandidate(ctx.db);
    const [t1, t2] = [
      await createTopic(ctx.db, { name: 'Birokrasi' }),
      await createTopic(ctx.db, { name: 'ASN' }),
    ];
    const created = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Bertopik',
        title: 'Klaim bertopik',
        topics: [t1.id, t2.id],
        after_save: 'open',
      })
      .expect(303);
    const id = idFromLocation(created.headers.location);
    expect(created.headers.location).toBe(`/newsroom/claims/${id}`);
    const topics = await ctx.db('claim_topics').where({ claim_id: id }).orderBy('topic_id');
    expect(topics.map((t) => t.topic_id)).toEqual([t1.id, t2.id].sort((a, b) => a - b));
    const bad = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'x',
        topics: [999999],
      })
      .expect(400);
    expect(bad.text).toContain('Pilihan tidak dikenal.');

    const dashboard = await reporter.get('/newsroom').expect(200);
    expect(dashboard.text).toContain('Klaim bertopik');
    await reporter.post(`/newsroom/claims/${id}/submit`).expect(303);
    await editor.post(`/newsroom/claims/${id}/return`, { note: 'Tambahkan sumber.' }).expect(303);
    expect((await ctx.db('claims').where({ id }).first()).workflow_state).toBe('draft');
    await editor.post(`/newsroom/claims/${id}/retract`, { retraction_reason: 'x' }).expect(409);
  });

  it('the newsroom claim list shows every workflow state and filters by state and text', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const draft = await createClaim(ctx.db, { workflow_state: 'draft', title: 'Klaim draf unik-abc' });
    const retracted = await createClaim(ctx.db, {
      workflow_state: 'retracted',
      title: 'Klaim ditarik unik-abc',
    });
    const all = await reporter.get('/newsroom/claims?q=unik-abc').expect(200);
    expect(all.text).toContain(`/newsroom/claims/${draft.id}`);
    expect(all.text).toContain(`/newsroom/claims/${retracted.id}`);
    const drafts = await reporter.get('/newsroom/claims?q=unik-abc&state=draft').expect(200);
    expect(drafts.text).toContain(`/newsroom/claims/${draft.id}`);
    expect(drafts.text).not.toContain(`/newsroom/claims/${retracted.id}"`);
  });

  it('the dashboard lists overdue promises and stale claims', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const overdue = await createClaim(ctx.db, {
      kind: 'promise',
      status: 'in_progress',
      deadline: '2020-01-01',
      title: 'Janji lewat tenggat',
    });
    await createClaim(ctx.db, {
      kind: 'promise',
      status: 'kept',
      deadline: '2020-01-01',
      title: 'Janji ditepati tepat waktu',
    });
    const stale = await createClaim(ctx.db, {
      title: 'Klaim terlupakan',
      updated_at: new Date(Date.now() - 100 * 24 * 60 * 60 * 1000),
    });
    const page = await reporter.get('/newsroom').expect(200);
    const overdueSection = page.text.slice(page.text.indexOf('h-overdue'), page.text.indexOf('h-stale'));
    expect(overdueSection).toContain(`/newsroom/claims/${overdue.id}`);
    expect(overdueSection).not.toContain('Janji ditepati tepat waktu');
    const staleSection = page.text.slice(page.text.indexOf('h-stale'), page.text.indexOf('h-recent'));
    expect(staleSection).toContain(`/newsroom/claims/${stale.id}`);
  });
});
