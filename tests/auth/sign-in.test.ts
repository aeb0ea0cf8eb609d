import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createUser, TEST_PASSWORD } from '../helpers/factories';
import { csrfFrom, formBody, useNewsroomApp } from '../helpers/newsroom';

const WRONG = 'kata-sandi-yang-salah-sekali';

describe('signing in', () => {
  const ctx = useNewsroomApp();

  // Every test signs in from the same address: start each with no recent failures from it.
  beforeEach(async () => {
    await ctx.db('sign_in_attempts').update({ created_at: new Date(Date.now() - 24 * 60 * 60 * 1000) });
  });

  /** One browser: GET /login, then POST the form with its token (and anything overridden). */
  async function attempt(fields: Record<string, string>, agent = request.agent(ctx.app)) {
    const page = await agent.get('/login').expect(200);
    const res = await agent
      .post('/login')
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), ...fields }));
    return { res, agent };
  }

  async function attempts(email: string) {
    return ctx.db('sign_in_attempts').where({ email }).orderBy('id');
  }

  it('the sign-in page is a form posting email, password and a CSRF token, and creates no session', async () => {
    const res = await request(ctx.app).get('/login').expect(200);
    expect(res.text).toContain('name="email"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('name="_csrf"');
    expect(res.headers['cache-control']).toContain('no-store');
    expect(String(res.headers['set-cookie'])).not.toContain('kj.sid');
  });

  it('the right password signs in: a new HttpOnly, SameSite=Lax session cookie and a redirect to the newsroom', async () => {
    const user = await createUser(ctx.db, { role: 'reporter' });
    const { res, agent } = await attempt({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/newsroom');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/kj\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const page = await agent.get('/newsroom').expect(200);
    expect(page.text).toContain(user.display_name);
    const rows = await ctx.db('sessions').whereRaw("(sess->>'userId') = ?", [String(user.id)]);
    expect(rows).toHaveLength(1);
    const [row] = await attempts(user.email);
    expect(row).toMatchObject({ succeeded: true, user_id: user.id, outcome: 'succeeded' });
  });

  it('signing in again gives a new session id and ends the old one (no session fixation)', async () => {
    const user = await createUser(ctx.db);
    const agent = request.agent(ctx.app);
    const token = csrfFrom((await agent.get('/login').expect(200)).text);
    const signInOnce = async () => {
      const res = await agent
        .post('/login')
        .type('form')
        .send(formBody({ _csrf: token, email: user.email, password: TEST_PASSWORD }))
        .expect(303);
      return /kj\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    };
    const firstSid = await signInOnce();
    const secondSid = await signInOnce();
    expect(secondSid).not.toBe(firstSid);
    const rows = await ctx.db('sessions').whereRaw("(sess->>'userId') = ?", [String(user.id)]);
    expect(rows).toHaveLength(1);
    await request(ctx.app).get('/newsroom').set('Cookie', `kj.sid=${firstSid}`).expect(303);
    await request(ctx.app).get('/newsroom').set('Cookie', `kj.sid=${secondSid}`).expect(200);
  });

  it('passwords much longer than 64 characters work', async () => {
    const password = 'k'.repeat(40) + ' kalimat sandi panjang yang tetap diterima '.repeat(3);
    expect(password.length).toBeGreaterThan(64);
    const user = await createUser(ctx.db, { password });
    const { res } = await attempt({ email: user.email.toUpperCase(), password });
    expect(res.status).toBe(303);
  });

  it('follows `next` only to a path on this site', async () => {
    const user = await createUser(ctx.db);
    const ok = await attempt({
      email: user.email,
      password: TEST_PASSWORD,
      next: '/newsroom/claims?state=draft',
    });
    expect(ok.res.headers.location).toBe('/newsroom/claims?state=draft');
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
    ]) {
      const { res } = await attempt({ email: user.email, password: TEST_PASSWORD, next });
      expect(res.headers.location, next).toBe('/newsroom');
    }
  });

  it('a signed-out visit to a newsroom page comes back to it after signing in', async () => {
    const user = await createUser(ctx.db);
    const agent = request.agent(ctx.app);
    const bounce = await agent.get('/newsroom/claims/new').expect(303);
    expect(bounce.headers.location).toBe('/login?next=%2Fnewsroom%2Fclaims%2Fnew');
    const page = await agent.get(bounce.headers.location!).expect(200);
    expect(page.text).toContain('value="/newsroom/claims/new"');
    const res = await agent
      .post('/login')
      .type('form')
      .send(
        formBody({
          _csrf: csrfFrom(page.text),
          email: user.email,
          password: TEST_PASSWORD,
          next: '/newsroom/claims/new',
        }),
      )
      .expect(303);
    expect(res.headers.location).toBe('/newsroom/claims/new');
  });

  it('a wrong password, an unknown email and a disabled account all get the same answer, and each attempt is logged', async () => {
    const user = await createUser(ctx.db);
    const disabled = await createUser(ctx.db, { active: false });
    const wrong = await attempt({ email: user.email, password: WRONG });
    const unknown = await attempt({ email: 'tidak-ada@redaksi.test', password: WRONG });
    const off = await attempt({ email: disabled.email, password: TEST_PASSWORD });
    for (const { res } of [wrong, unknown, off]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('Email atau kata sandi salah.');
      expect(String(res.headers['set-cookie'])).not.toContain('kj.sid');
    }
    expect((await attempts(user.email)).map((a) => a.outcome)).toEqual(['wrong_password']);
    expect((await attempts('tidak-ada@redaksi.test')).map((a) => a.outcome)).toEqual(['unknown_email']);
    expect((await attempts(disabled.email)).map((a) => a.outcome)).toEqual(['disabled']);
    // The form keeps the email typed, never the password.
    expect(wrong.res.text).toContain(`value="${user.email}"`);
    expect(wrong.res.text).not.toContain(WRONG);
  });

  it('after five wrong passwords the account is throttled with 429 and a clear message, even for the right password', async () => {
    const user = await createUser(ctx.db);
    const other = await createUser(ctx.db);
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt({ email: user.email, password: WRONG })).res.status).toBe(401);
    }
    const { res } = await attempt({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(res.text).toContain('Terlalu banyak percobaan masuk yang gagal');
    expect((await attempts(user.email)).at(-1)).toMatchObject({ outcome: 'throttled', succeeded: false });
    // Nobody else is locked out.
    expect((await attempt({ email: other.email, password: TEST_PASSWORD })).res.status).toBe(303);
  });

  it('an unknown email is throttled exactly like a real one (no hint that an account exists)', async () => {
    const email = 'belum-terdaftar@redaksi.test';
    const since = new Date();
    await ctx.db('sign_in_attempts').insert(
      Array.from({ length: 5 }, () => ({
        email,
        ip: '203.0.113.9',
        succeeded: false,
        outcome: 'unknown_email',
        created_at: since,
      })),
    );
    expect((await attempt({ email, password: WRONG })).res.status).toBe(429);
  });

  it('a lock-out lasts at most fifteen minutes, and refused attempts do not extend it', async () => {
    const user = await createUser(ctx.db);
    const longAgo = new Date(Date.now() - 16 * 60 * 1000);
    const justNow = new Date(Date.now() - 60 * 1000);
    await ctx.db('sign_in_attempts').insert([
      ...Array.from({ length: 5 }, () => ({
        email: user.email,
        ip: '203.0.113.7',
        succeeded: false,
        outcome: 'wrong_password',
        created_at: longAgo,
      })),
      ...Array.from({ length: 10 }, () => ({
        email: user.email,
        ip: '203.0.113.7',
        succeeded: false,
        outcome: 'throttled',
        created_at: justNow,
      })),
    ]);
    expect((await attempt({ email: user.email, password: TEST_PASSWORD })).res.status).toBe(303);
  });

  it('a successful sign-in starts the account’s count again', async () => {
    const user = await createUser(ctx.db);
    for (let i = 0; i < 4; i += 1) await attempt({ email: user.email, password: WRONG });
    expect((await attempt({ email: user.email, password: TEST_PASSWORD })).res.status).toBe(303);
    for (let i = 0; i < 4; i += 1) await attempt({ email: user.email, password: WRONG });
    expect((await attempt({ email: user.email, password: TEST_PASSWORD })).res.status).toBe(303);
  });

  it('twenty failures from one address throttle that address for every account', async () => {
    const user = await createUser(ctx.db);
    const probe = await attempt({ email: 'probe@redaksi.test', password: WRONG });
    expect(probe.res.status).toBe(401);
    const [{ ip }] = await attempts('probe@redaksi.test');
    await ctx.db('sign_in_attempts').insert(
      Array.from({ length: 19 }, (_, i) => ({
        email: `tebak-${i}@redaksi.test`,
        ip,
        succeeded: false,
        outcome: 'unknown_email',
      })),
    );
    const { res } = await attempt({ email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
  });

  it('a sign-in post without the form’s token is refused and signs nobody in', async () => {
    const user = await createUser(ctx.db);
    const res = await request(ctx.app)
      .post('/login')
      .type('form')
      .send(formBody({ email: user.email, password: TEST_PASSWORD }));
    expect(res.status).toBe(403);
    expect(String(res.headers['set-cookie'])).not.toContain('kj.sid');
    const forged = await request(ctx.app)
      .post('/login')
      .set('Cookie', 'kj.login=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .type('form')
      .send(
        formBody({
          email: user.email,
          password: TEST_PASSWORD,
          _csrf: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        }),
      );
    expect(forged.status).toBe(403);
    expect(await ctx.db('sessions').whereRaw("(sess->>'userId') = ?", [String(user.id)])).toHaveLength(0);
  });

  it('speaks English on the sign-in page with ?lang=en', async () => {
    const res = await request(ctx.app).get('/login?lang=en').expect(200);
    expect(res.text).toContain('Sign in to the newsroom');
  });
});
