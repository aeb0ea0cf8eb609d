import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createEvidence, unique } from '../helpers/factories';
import { type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { confirmFrom, follow, linkIn, testWorker, tipForm } from './helpers';
import { startSmtp, type TestSmtp } from './smtp';

describe('tips from readers', () => {
  const ctx = useNewsroomApp();
  let smtp: TestSmtp;
  let reporter: NewsroomSession;
  let editor: NewsroomSession;
  let worker: ReturnType<typeof testWorker>;

  beforeAll(async () => {
    smtp = await startSmtp();
    reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    editor = await signInAs(ctx.app, ctx.db, 'editor');
    worker = testWorker(ctx.db, ctx.config, smtp.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
  });

  const to = (address: string) => smtp.received.filter((m) => m.to === address);
  const tipsCount = async () => Number((await ctx.db('tips').count({ n: '*' }).first())!.n);
  let ipSeq = 0;
  /** A fresh documentation address per test, so that the per-IP limit only bites where it is tested. */
  const freshIp = () => `192.0.2.${++ipSeq}`;

  async function approveStatus(claimId: number, status = 'false') {
    const evidence = await createEvidence(ctx.db, { claim_id: claimId });
    await editor
      .post(`/newsroom/claims/${claimId}/status`, { status, note: 'Catatan uji', evidence_ids: evidence.id })
      .expect(303);
  }

  it('takes a claim to check without JavaScript, in English, and queues it as text for the newsroom', async () => {
    const form = await tipForm(ctx.app, '?lang=en');
    expect(form.page.text).toContain('Send the newsroom a tip');
    expect(form.page.text).toContain('name="quote"');
    expect(form.page.headers['cache-control']).toContain('no-store');
    const quote = `Kami membangun ${unique('jembatan')} <b>tahun lalu</b>`;
    const res = await form.send(
      {
        lang: 'en',
        kind: 'claim',
        quote,
        speaker: 'Calon Uji',
        said_on: '2024-11-04',
        where: 'Debat kedua',
        url: 'https://example.org/berita',
        note: 'Angkanya meragukan',
        website: '',
      },
      '203.0.113.44',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your tip is in the newsroom’s queue.');
    const row = await ctx.db('tips').where({ quote }).first();
    expect(row).toMatchObject({
      kind: 'claim',
      speaker: 'Calon Uji',
      said_on: '2024-11-04',
      where_said: 'Debat kedua',
      url: 'https://example.org/berita',
      lang: 'en',
      state: 'new',
      email: null,
    });
    // Only a keyed hash stands for the sender's IP address.
    expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain('203.0.113.44');

    const queue = await reporter.get('/newsroom/tips').expect(200);
    expect(queue.text).toContain('&lt;b&gt;tahun lalu&lt;/b&gt;');
    expect(queue.text).not.toContain('<b>tahun lalu</b>');
    // The reader's link is shown, not linked.
    expect(queue.text).not.toContain('href="https://example.org/berita"');
  });

  it('answers in Indonesian by default and refuses bad fields with the field’s message, storing nothing', async () => {
    const form = await tipForm(ctx.app);
    expect(form.page.text).toContain('Kirim tip kepada redaksi');
    const before = await tipsCount();
    const ip = freshIp();
    const missing = await form.send({ kind: 'claim', quote: '  ' }, ip);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Wajib diisi.');
    const badUrl = await form.send({ kind: 'claim', quote: 'Sesuatu', url: 'javascript:alert(1)' }, ip);
    expect(badUrl.status).toBe(400);
    expect(badUrl.text).toContain('Tautan harus dimulai dengan http:// atau https://.');
    // What was typed comes back in the form, as text.
    expect(badUrl.text).toContain('value="javascript:alert(1)"');
    const badDate = await form.send({ kind: 'claim', quote: 'Sesuatu', said_on: '4 November' }, ip);
    expect(badDate.status).toBe(400);
    expect(badDate.text).toContain('TTTT-BB-HH');
    const links = 'https://a.example https://b.example www.c.example http://d.example';
    const spam = await form.send({ kind: 'claim', quote: 'Lihat', note: links }, ip);
    expect(spam.status).toBe(400);
    expect(spam.text).toContain('Terlalu banyak tautan: paling banyak 3.');
    const long = await form.send({ kind: 'claim', quote: 'x'.repeat(2001) }, ip);
    expect(long.status).toBe(400);
    expect(long.text).toContain('Terlalu panjang.');
    const badEmail = await form.send({ kind: 'claim', quote: 'Sesuatu', email: 'bukan alamat' }, ip);
    expect(badEmail.status).toBe(400);
    expect(badEmail.text).toContain('Alamat email ini tidak tampak benar.');
    const noClaim = await form.send({ kind: 'evidence', claim: 'tidak-ada', note: 'Bukti' }, ip);
    expect(noClaim.status).toBe(400);
    expect(noClaim.text).toContain('Klaim itu tidak ditemukan.');
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });
    await form.send({ kind: 'evidence', claim: draft.slug, note: 'Bukti' }, ip).expect(400);
    const published = await createClaim(ctx.db);
    const empty = await form.send({ kind: 'evidence', claim: published.slug }, ip);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Tulis catatan atau berikan tautan.');
    await form.send({ kind: 'rumor', quote: 'Sesuatu' }, ip).expect(400);
    expect(await tipsCount()).toBe(before);
  });

  it('tells a robot that filled in the hidden field thanks, and keeps nothing', async () => {
    const form = await tipForm(ctx.app, '?lang=en');
    expect(form.page.text).toMatch(/class="tip-trap" aria-hidden="true"/);
    const before = await tipsCount();
    const res = await form.send(
      { kind: 'claim', quote: 'Spam murah', website: 'https://spam.example', email: 'bot@example.org' },
      freshIp(),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Thank you');
    expect(await tipsCount()).toBe(before);
    expect(await ctx.db('subscribers').where({ email: 'bot@example.org' })).toHaveLength(0);
  });

  it('refuses a tip form without its token, or with a token but not the cookie it was made for', async () => {
    const before = await tipsCount();
    const noToken = await request(ctx.app)
      .post('/tips?lang=en')
      .type('form')
      .send('kind=claim&quote=Tanpa+token&lang=en');
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('This form has expired');
    const form = await tipForm(ctx.app);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.page.text)![1]!;
    await request(ctx.app)
      .post('/tips')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&kind=claim&quote=Token+tanpa+kuki`)
      .expect(403);
    expect(await tipsCount()).toBe(before);
  });

  it('merges identical tips into one that counts its arrivals', async () => {
    const form = await tipForm(ctx.app);
    const quote = `Pajak ${unique('turun')} separuh`;
    await form.send({ kind: 'claim', quote, speaker: 'Calon A' }, freshIp()).expect(200);
    await form
      .send({ kind: 'claim', quote: `  ${quote.toUpperCase()} `, speaker: 'calon  a' }, freshIp())
      .expect(200);
    const rows = await ctx.db('tips').whereRaw('lower(quote) = lower(?)', [quote]);
    expect(rows).toHaveLength(1);
    expect(rows[0].received_count).toBe(2);
    const queue = await reporter.get('/newsroom/tips?lang=en').expect(200);
    expect(queue.text).toContain('sent 2 times');
  });

  it('limits tips per IP address and per email with 429 and when to try again', async () => {
    const form = await tipForm(ctx.app, '?lang=en');
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      await form.send({ kind: 'claim', quote: `Batas IP ${unique('k')}`, lang: 'en' }, ip).expect(200);
    }
    const refused = await form.send({ kind: 'claim', quote: `Batas IP ${unique('k')}`, lang: 'en' }, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(refused.text).toMatch(/Try again in (59|60) minutes/);
    // Another address is not held up.
    await form.send({ kind: 'claim', quote: `Batas IP ${unique('k')}` }, freshIp()).expect(200);

    const email = `${unique('tipster')}@example.org`;
    for (let i = 0; i < 5; i++) {
      await form.send({ kind: 'claim', quote: `Batas email ${unique('k')}`, email }, freshIp()).expect(200);
    }
    const byEmail = await form.send({ kind: 'claim', quote: `Batas email ${unique('k')}`, email }, freshIp());
    expect(byEmail.status).toBe(429);
  });

  it('turns a tip into a draft claim from the prefilled form; its confirmed sender hears of the published verdict', async () => {
    const candidate = await createCandidate(ctx.db, { name: `Calon ${unique('tip')}` });
    const email = `${unique('pengirim')}@example.org`;
    const quote = `Kami menanam ${unique('pohon')} sejuta pohon`;
    const form = await tipForm(ctx.app, '?lang=en');
    await form
      .send(
        {
          lang: 'en',
          kind: 'claim',
          quote,
          speaker: candidate.name,
          said_on: '2024-11-04',
          where: 'Debat ketiga',
          url: 'https://example.org/pohon',
          email,
        },
        freshIp(),
      )
      .expect(200);
    const tip = await ctx.db('tips').where({ quote }).first();
    await worker.drain();
    const [confirmation] = to(email);
    expect(to(email)).toHaveLength(1);
    expect(confirmation!.text).toContain('To hear back about the tip you sent the newsroom.');
    await confirmFrom(ctx.app, confirmation!);

    // The claim form, prefilled from the tip (the speaker's name found the candidate).
    const prefilled = await reporter.get(`/newsroom/tips/${tip.id}/draft`).expect(200);
    expect(prefilled.text).toContain(`action="/newsroom/tips/${tip.id}/draft"`);
    expect(prefilled.text).toContain(quote);
    expect(prefilled.text).toContain('value="https://example.org/pohon"');
    expect(prefilled.text).toContain('value="Debat ketiga"');
    expect(prefilled.text).toMatch(new RegExp(`<option value="${candidate.id}" selected`));

    const created = await reporter
      .post(`/newsroom/tips/${tip.id}/draft`, {
        candidate_id: candidate.id,
        kind: 'statement',
        quote,
        said_on: '2024-11-04',
        event: 'Debat ketiga',
        source_url: 'https://example.org/pohon',
        title: `Sejuta pohon ${unique('judul')}`,
      })
      .expect(303);
    const claimId = Number(/\/newsroom\/claims\/(\d+)$/.exec(created.headers.location!)![1]);
    const claim = await ctx.db('claims').where({ id: claimId }).first();
    expect(claim).toMatchObject({ workflow_state: 'draft', quote, candidate_id: candidate.id });
    expect(await ctx.db('tips').where({ id: tip.id }).first()).toMatchObject({
      state: 'drafted',
      result_claim_id: claimId,
      handled_by: reporter.user.id,
    });
    const audit = await ctx.db('audit_log').where({ entity: 'tip', entity_id: tip.id }).first();
    expect(audit.action).toBe('tip.draft');
    expect(JSON.stringify(audit.after)).not.toContain(quote);
    // Handled once only.
    await reporter.post(`/newsroom/tips/${tip.id}/dismiss`, { dismiss_reason: 'Terlambat' }).expect(409);

    // Rated while a draft: nothing is public, nothing is sent; published, the verdict reaches the sender.
    await approveStatus(claimId);
    await worker.drain();
    expect(to(email)).toHaveLength(1);
    const rated = await ctx.db('claims').where({ id: claimId }).first();
    await editor.post(`/newsroom/claims/${claimId}/publish`, { version: rated.version }).expect(303);
    await worker.drain();
    const [, news] = to(email);
    expect(to(email)).toHaveLength(2);
    expect(news!.text).toContain('The tip you sent the newsroom led to a published verdict.');
    expect(news!.subject).toContain('False');
    expect(news!.text).toContain(`/claims/${claim.slug}`);
  });

  it('turns evidence sent from a verdict page into evidence on that claim, prefilled', async () => {
    const claim = await createClaim(ctx.db, { kind: 'statement' });
    const verdict = await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200);
    expect(verdict.text).toContain(`href="/tips?claim=${claim.slug}"`);
    const form = await tipForm(ctx.app, `?claim=${claim.slug}&lang=en`);
    expect(form.page.text).toContain(`About the claim: ${claim.title}`);
    expect(form.page.text).toContain('<input type="hidden" name="kind" value="evidence">');
    const email = `${unique('bukti')}@example.org`;
    await form
      .send(
        {
          kind: 'evidence',
          claim: claim.slug,
          url: 'https://data.example.go.id/opd',
          note: 'Data resmi jumlah OPD',
          email,
          lang: 'id',
        },
        freshIp(),
      )
      .expect(200);
    const tip = await ctx.db('tips').where({ claim_id: claim.id }).first();
    expect(tip).toMatchObject({ kind: 'evidence', url: 'https://data.example.go.id/opd' });
    await worker.drain();
    await confirmFrom(ctx.app, to(email)[0]!);

    const queue = await reporter.get('/newsroom/tips').expect(200);
    expect(queue.text).toContain(`href="/newsroom/tips/${tip.id}/evidence"`);
    const prefilled = await reporter.get(`/newsroom/tips/${tip.id}/evidence`).expect(200);
    expect(prefilled.text).toContain(`action="/newsroom/tips/${tip.id}/evidence"`);
    expect(prefilled.text).toContain('value="https://data.example.go.id/opd"');
    expect(prefilled.text).toContain('Data resmi jumlah OPD');
    await reporter
      .post(`/newsroom/tips/${tip.id}/evidence`, {
        url: 'https://data.example.go.id/opd',
        title: 'Jumlah OPD 2024',
        excerpt: 'Data resmi jumlah OPD',
        stance: 'contradicts',
      })
      .expect(303);
    const evidence = await ctx.db('evidence').where({ claim_id: claim.id, title: 'Jumlah OPD 2024' }).first();
    expect(evidence).toBeDefined();
    expect(await ctx.db('tips').where({ id: tip.id }).first()).toMatchObject({
      state: 'evidence',
      result_evidence_id: evidence.id,
    });
    // A published verdict on the claim reaches the sender, in Indonesian.
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Uji',
        evidence_ids: evidence.id,
      })
      .expect(303);
    await worker.drain();
    expect(to(email)).toHaveLength(2);
    expect(to(email)[1]!.text).toContain(
      'Tip yang Anda kirim kepada redaksi menghasilkan penilaian yang diterbitkan.',
    );
  });

  it('dismisses a tip only with a reason, in the audit log, and forgets its senders’ addresses', async () => {
    const form = await tipForm(ctx.app);
    const quote = `Tolak ${unique('tip')}`;
    const email = `${unique('ditolak')}@example.org`;
    await form.send({ kind: 'claim', quote, email }, freshIp()).expect(200);
    const tip = await ctx.db('tips').where({ quote }).first();
    const noReason = await reporter.post(`/newsroom/tips/${tip.id}/dismiss`, { dismiss_reason: ' ' });
    expect(noReason.status).toBe(400);
    expect((await ctx.db('tips').where({ id: tip.id }).first()).state).toBe('new');
    await reporter.post(`/newsroom/tips/${tip.id}/dismiss`, { dismiss_reason: 'Bukan klaim' }).expect(303);
    expect(await ctx.db('tips').where({ id: tip.id }).first()).toMatchObject({
      state: 'dismissed',
      dismiss_reason: 'Bukan klaim',
    });
    expect(await ctx.db('follows').where({ tip_id: tip.id })).toHaveLength(0);
    const audit = await ctx
      .db('audit_log')
      .where({ entity: 'tip', entity_id: tip.id, action: 'tip.dismiss' });
    expect(audit).toHaveLength(1);
    const dismissed = await reporter.get('/newsroom/tips?state=dismissed&lang=id').expect(200);
    expect(dismissed.text).toContain('Ditolak: Bukan klaim');
  });

  it('keeps the newsroom’s tip actions to signed-in accounts with a CSRF token, and deletion to editors', async () => {
    const form = await tipForm(ctx.app);
    const quote = `Hak ${unique('tip')}`;
    await form.send({ kind: 'claim', quote }, freshIp()).expect(200);
    const tip = await ctx.db('tips').where({ quote }).first();
    const signedOut = await request(ctx.app).get('/newsroom/tips');
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.location).toContain('/login');
    await request(ctx.app)
      .post(`/newsroom/tips/${tip.id}/dismiss`)
      .type('form')
      .send('dismiss_reason=x')
      .expect(401);
    // Signed in, but without the session's token.
    await reporter.agent
      .post(`/newsroom/tips/${tip.id}/dismiss`)
      .type('form')
      .send('dismiss_reason=x')
      .expect(403);
    await reporter.agent.post(`/newsroom/tips/${tip.id}/draft`).type('form').send('quote=x').expect(403);
    await reporter.post(`/newsroom/tips/${tip.id}/delete`, { reason: 'Permintaan' }).expect(403);
    expect((await ctx.db('tips').where({ id: tip.id }).first()).state).toBe('new');
    await editor.post(`/newsroom/tips/${tip.id}/delete`, { reason: 'Pengirim meminta' }).expect(303);
    expect(await ctx.db('tips').where({ id: tip.id })).toHaveLength(0);
    const audit = await ctx
      .db('audit_log')
      .where({ entity: 'tip', entity_id: tip.id, action: 'tip.delete' })
      .first();
    expect(JSON.stringify(audit)).not.toContain(quote);
  });

  it('refuses the follow pages’ forms sent from another site', async () => {
    const claim = await createClaim(ctx.db);
    const email = `${unique('lintas')}@example.org`;
    await follow(ctx.app, { claim: claim.slug, email }).expect(200);
    await worker.drain();
    const [confirmation] = to(email);
    const confirm = linkIn(confirmation!, '/follow/confirm/');
    const manage = linkIn(confirmation!, '/follow/manage/');
    for (const path of [confirm, `${manage}/cancel`, `${manage}/forget`]) {
      await request(ctx.app)
        .post(path)
        .set('Sec-Fetch-Site', 'cross-site')
        .type('form')
        .send('follow_id=all')
        .expect(403);
    }
    const row = await ctx.db('follows').where({ claim_id: claim.id }).first();
    expect(row.confirmed_at).toBeNull();
  });

  it('deletes tips after the retention period, and the tips only they sent when a reader asks', async () => {
    const form = await tipForm(ctx.app);
    const old = `Lama ${unique('tip')}`;
    await form.send({ kind: 'claim', quote: old }, freshIp()).expect(200);
    await ctx
      .db('tips')
      .where({ quote: old })
      .update({ created_at: ctx.db.raw("now() - interval '181 days'") });
    const email = `${unique('hapus')}@example.org`;
    const mine = `Milik saya ${unique('tip')}`;
    const shared = `Bersama ${unique('tip')}`;
    await form.send({ kind: 'claim', quote: mine, email }, freshIp()).expect(200);
    await form.send({ kind: 'claim', quote: shared, email }, freshIp()).expect(200);
    await form.send({ kind: 'claim', quote: shared }, freshIp()).expect(200);

    await worker.upkeep(new Date());
    expect(await ctx.db('tips').where({ quote: old })).toHaveLength(0);

    await worker.drain();
    const manage = linkIn(to(email)[0]!, '/follow/manage/');
    await request(ctx.app).post(`${manage}/forget`).type('form').send('').expect(200);
    expect(await ctx.db('tips').where({ quote: mine })).toHaveLength(0);
    expect(await ctx.db('tips').where({ quote: shared })).toHaveLength(1);
    expect(await ctx.db('subscribers').where({ email })).toHaveLength(0);
  });
});
