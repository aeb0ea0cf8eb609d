import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsReason } from '../../src/features/term/reasons';
import { createCandidate, createClaim, createEvidence, unique } from '../helpers/factories';
import { type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { confirmFrom, follow, linkIn, testWorker } from './helpers';
import { startSmtp, type TestSmtp } from './smtp';

describe('following by email', () => {
  const ctx = useNewsroomApp();
  let smtp: TestSmtp;
  let editor: NewsroomSession;
  let worker: ReturnType<typeof testWorker>;

  beforeAll(async () => {
    smtp = await startSmtp();
    editor = await signInAs(ctx.app, ctx.db, 'editor');
    worker = testWorker(ctx.db, ctx.config, smtp.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await smtp?.close();
  });

  const to = (address: string) => smtp.received.filter((m) => m.to === address);

  async function publishStatus(claimId: number, status: string, note = 'Catatan redaksi uji') {
    // A final rating rests on evidence.
    const evidence = await createEvidence(ctx.db, { claim_id: claimId });
    await editor
      .post(`/newsroom/claims/${claimId}/status`, {
        status,
        note,
        evidence_ids: evidence.id,
        // Broken, stalled and compromise say why.
        ...(needsReason(status) ? { reason: 'other', reason_text: 'Alasan uji' } : {}),
      })
      .expect(303);
  }

  it('confirms first, then sends one email per published change in English, with one-click unsubscribe', async () => {
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    const email = `${unique('pembaca')}@example.org`;
    const res = await follow(ctx.app, { claim: claim.slug, email: email.toUpperCase(), lang: 'en' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Check your email');
    expect(res.headers['cache-control']).toContain('no-store');

    await worker.drain();
    const [confirmation] = to(email);
    expect(to(email)).toHaveLength(1);
    expect(confirmation!.subject).toBe('Confirm your Kawal Janji email subscription');
    expect(confirmation!.text).toContain(claim.title!);
    const unsubscribe = confirmation!.header('List-Unsubscribe');
    expect(unsubscribe).toMatch(/^<https:\/\/kawal\.test\/follow\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    expect(confirmation!.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(confirmation!.header('Content-Language')).toBe('en');

    // Not confirmed yet: a published change sends nothing.
    await publishStatus(claim.id, 'in_progress');
    await worker.drain();
    expect(to(email)).toHaveLength(1);

    await confirmFrom(ctx.app, confirmation!);
    await publishStatus(claim.id, 'stalled', 'Anggaran <b>dipotong</b> & "ditunda"');
    await worker.drain();
    expect(to(email)).toHaveLength(2);
    const news = to(email)[1]!;
    expect(news.subject).toBe(`Stalled: ${claim.title}`);
    expect(news.text).toContain('Rating: from In progress to Stalled.');
    expect(news.text).toContain('Anggaran <b>dipotong</b> & "ditunda"');
    expect(news.text).toContain(`https://kawal.test/claims/${claim.slug}?lang=en`);
    expect(news.text).toMatch(/https:\/\/kawal\.test\/follow\/manage\/[A-Za-z0-9_-]{43}/);
    expect(news.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click, without cookies or a CSRF token.
    const oneClick = /<https:\/\/kawal\.test([^>]+)>/.exec(news.header('List-Unsubscribe')!)![1]!;
    await request(ctx.app).post(oneClick).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await ctx.db('subscribers').where({ email })).toHaveLength(0);
    await publishStatus(claim.id, 'in_progress');
    await worker.drain();
    expect(to(email)).toHaveLength(2);
    // The follow is gone, and its token with it.
    await request(ctx.app).post(oneClick).type('form').send('List-Unsubscribe=One-Click').expect(404);
  });

  it('sends the confirmation and the change in Indonesian to a reader who followed in Indonesian', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise' });
    const email = `${unique('pembaca')}@example.org`;
    await follow(ctx.app, { candidate: candidate.slug, email }).expect(200);
    await worker.drain();
    const [confirmation] = to(email);
    expect(confirmation!.subject).toBe('Konfirmasi langganan email Kawal Janji');
    expect(confirmation!.text).toContain(`Untuk mengikuti: ${candidate.name}`);
    await confirmFrom(ctx.app, confirmation!);
    await publishStatus(claim.id, 'kept');
    await worker.drain();
    const news = to(email)[1]!;
    expect(news.subject).toBe(`Ditepati: ${claim.title}`);
    expect(news.text).toContain('Penilaian: dari Belum dinilai menjadi Ditepati.');
    expect(news.header('Content-Language')).toBe('id');
  });

  it('sends one message per change to an address that follows the claim and its candidate and election', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise' });
    const email = `${unique('pembaca')}@example.org`;
    const election = await ctx.db('elections').where({ id: candidate.election_id }).first();
    await follow(ctx.app, { claim: claim.slug, email }).expect(200);
    await follow(ctx.app, { candidate: candidate.slug, email }).expect(200);
    await follow(ctx.app, { election: election.slug, email }).expect(200);
    await worker.drain();
    expect(to(email)).toHaveLength(3);
    for (const confirmation of to(email)) await confirmFrom(ctx.app, confirmation);
    await publishStatus(claim.id, 'in_progress');
    await worker.drain();
    expect(to(email)).toHaveLength(4);
  });

  it('holds changes for a digest reader and sends one daily digest of them, in their language', async () => {
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    const other = await createClaim(ctx.db, { kind: 'promise', candidate_id: claim.candidate_id });
    const email = `${unique('ringkas')}@example.org`;
    await follow(ctx.app, {
      candidate: String((await ctx.db('candidates').where({ id: claim.candidate_id }).first()).slug),
      email,
      digest: 'on',
      lang: 'en',
    }).expect(200);
    await worker.drain();
    await confirmFrom(ctx.app, to(email)[0]!);
    await publishStatus(claim.id, 'in_progress');
    await publishStatus(other.id, 'broken');
    await worker.drain();
    expect(to(email)).toHaveLength(1);

    // The daily job, run as it would be tomorrow.
    await worker.upkeep(new Date(Date.now() + 24 * 3600 * 1000));
    await worker.drain();
    expect(to(email)).toHaveLength(2);
    const digest = to(email)[1]!;
    expect(digest.subject).toBe('Kawal Janji: 2 rating changes');
    expect(digest.text).toContain('Rating: from Not yet rated to In progress.');
    expect(digest.text).toContain('Rating: from Not yet rated to Broken.');
    expect(digest.header('List-Unsubscribe')).toMatch(/\/follow\/unsubscribe\//);
    // Run again the same day: nothing more.
    await worker.upkeep(new Date(Date.now() + 24 * 3600 * 1000));
    await worker.drain();
    expect(to(email)).toHaveLength(2);

    // The digest's one-click link ends the digest follows.
    const oneClick = /<https:\/\/kawal\.test([^>]+)>/.exec(digest.header('List-Unsubscribe')!)![1]!;
    await request(ctx.app).post(oneClick).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await ctx.db('subscribers').where({ email })).toHaveLength(0);
  });

  it('the manage page lists everything followed, cancels one, and deletes the address on request', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, { candidate_id: candidate.id, title: 'Klaim <i>miring</i>' });
    const email = `${unique('kelola')}@example.org`;
    await follow(ctx.app, { claim: claim.slug, email, lang: 'en' }).expect(200);
    await follow(ctx.app, { candidate: candidate.slug, email, lang: 'en' }).expect(200);
    await worker.drain();
    const manage = linkIn(to(email)[0]!, '/follow/manage/');
    const page = await request(ctx.app).get(`${manage}?lang=en`).expect(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.text).toContain(email);
    expect(page.text).toContain('Klaim &lt;i&gt;miring&lt;/i&gt;');
    expect(page.text).toContain(candidate.name);
    expect(page.text).toContain('not confirmed yet');

    const followId = (await ctx.db('follows').where({ target_kind: 'claim', claim_id: claim.id }).first()).id;
    await request(ctx.app).post(`${manage}/cancel`).type('form').send(`follow_id=${followId}`).expect(303);
    const after = await request(ctx.app).get(manage).expect(200);
    expect(after.text).not.toContain('Klaim &lt;i&gt;miring&lt;/i&gt;');
    expect(after.text).toContain(candidate.name);

    await request(ctx.app).post(`${manage}/forget`).type('form').send('').expect(200);
    expect(await ctx.db('subscribers').where({ email })).toHaveLength(0);
    expect(await ctx.db('outbox').where({ recipient: email })).toHaveLength(0);
    await request(ctx.app).get(manage).expect(404);
  });

  it('answers 404 to a token that is not one, or one of another purpose', async () => {
    const claim = await createClaim(ctx.db);
    const email = `${unique('token')}@example.org`;
    await follow(ctx.app, { claim: claim.slug, email }).expect(200);
    await worker.drain();
    const confirm = linkIn(to(email)[0]!, '/follow/confirm/');
    const manage = linkIn(to(email)[0]!, '/follow/manage/');
    const confirmToken = confirm.split('/').pop()!;
    const manageToken = manage.split('/').pop()!;
    await request(ctx.app).get(`/follow/manage/${confirmToken}`).expect(404);
    await request(ctx.app).post(`/follow/unsubscribe/${manageToken}`).type('form').send('').expect(404);
    await request(ctx.app)
      .get(`/follow/confirm/${'A'.repeat(43)}`)
      .expect(404);
    await request(ctx.app).get('/follow/confirm/kurang').expect(404);
    // Only hashes are stored: the token itself is nowhere in the database.
    const row = await ctx.db('follows').whereRaw('confirm_token_hash = ?', [confirmToken]).first();
    expect(row).toBeUndefined();
  });

  it('refuses a bad address, an unknown target and a form sent from another site, storing nothing', async () => {
    const claim = await createClaim(ctx.db);
    const before = await ctx.db('follows').count({ n: '*' }).first();
    const bad = await follow(ctx.app, { claim: claim.slug, email: 'bukan-alamat', lang: 'en' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('This email address does not look right.');
    await follow(ctx.app, { claim: 'tidak-ada', email: 'a@example.org' }).expect(404);
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });
    await follow(ctx.app, { claim: draft.slug, email: 'a@example.org' }).expect(404);
    await request(ctx.app)
      .post('/follow')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send(`claim=${claim.slug}&email=a@example.org`)
      .expect(403);
    await request(ctx.app)
      .post('/follow')
      .set('Origin', 'https://penyerang.example')
      .type('form')
      .send(`claim=${claim.slug}&email=a@example.org`)
      .expect(403);
    expect(await ctx.db('follows').count({ n: '*' }).first()).toEqual(before);
  });

  it('limits follows per address and per IP address with 429 and when to try again', async () => {
    const claims = await Promise.all(Array.from({ length: 7 }, () => createClaim(ctx.db)));
    const email = `${unique('banyak')}@example.org`;
    for (const claim of claims.slice(0, 6)) {
      await follow(ctx.app, { claim: claim.slug, email, lang: 'en' }, '198.51.100.20').expect(200);
    }
    const refused = await follow(ctx.app, { claim: claims[6]!.slug, email, lang: 'en' }, '198.51.100.21');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(refused.text).toMatch(/Try again in (59|60) minutes/);
    expect(await ctx.db('reader_requests').whereRaw("key_hash LIKE '%198.51%'")).toHaveLength(0);
  });

  it('caps how many messages one address receives in a day', async () => {
    const capped = testWorker(ctx.db, ctx.config, smtp.url, { dailyCap: 2 });
    const email = `${unique('batas')}@example.org`;
    const claims = await Promise.all(Array.from({ length: 3 }, () => createClaim(ctx.db)));
    for (const claim of claims) await follow(ctx.app, { claim: claim.slug, email }).expect(200);
    await capped.drain();
    expect(to(email)).toHaveLength(2);
    const states = await ctx.db('outbox').where({ recipient: email }).pluck('state');
    expect(states.sort()).toEqual(['capped', 'sent', 'sent']);
  });

  it('puts the follow form on the verdict, candidate and election pages, without JavaScript', async () => {
    const claim = await createClaim(ctx.db);
    const candidate = await ctx.db('candidates').where({ id: claim.candidate_id }).first();
    const election = await ctx.db('elections').where({ id: claim.election_id }).first();
    for (const [path, kind, slug] of [
      [`/claims/${claim.slug}`, 'claim', claim.slug],
      [`/candidates/${candidate.slug}`, 'candidate', candidate.slug],
      [`/elections/${election.slug}`, 'election', election.slug],
    ]) {
      const page = await request(ctx.app).get(`${path}?lang=en`).expect(200);
      expect(page.text, path).toContain('<form class="filters" method="post" action="/follow">');
      expect(page.text, path).toContain(`<input type="hidden" name="${kind}" value="${slug}">`);
      expect(page.text, path).toContain('<input type="hidden" name="lang" value="en">');
      expect(page.text, path).toContain('name="email"');
    }
  });

  it('says on /privacy what is kept and for how long, in both languages', async () => {
    const id = await request(ctx.app).get('/privacy').expect(200);
    expect(id.text).toContain('<h1>Privasi</h1>');
    expect(id.text).toContain('selama 180 hari');
    const en = await request(ctx.app).get('/privacy?lang=en').expect(200);
    expect(en.text).toContain('for 180 days from when the tip arrived');
    expect(en.text).toContain('keyed hash (HMAC)');
  });
});
