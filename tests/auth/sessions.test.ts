import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db';
import { useTestApp } from '../helpers/app';
import { testDatabaseUrl } from '../helpers/engines';
import { createClaim, createUser, TEST_PASSWORD } from '../helpers/factories';
import { csrfFrom, formBody, signIn, signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('sessions', () => {
  const ctx = useNewsroomApp();

  async function sessionRows(userId: number) {
    return ctx.db('sessions').whereRaw("(sess->>'userId') = ?", [String(userId)]);
  }

  it('anonymous readers never get a session or touch the sessions table', async () => {
    const claim = await createClaim(ctx.db);
    const before = await ctx.db('sessions').count<{ n: number }[]>({ n: '*' });
    for (const url of ['/', `/claims/${claim.slug}`, '/login']) {
      const res = await request(ctx.app).get(url).expect(200);
      expect(String(res.headers['set-cookie'] ?? '')).not.toContain('kj.sid');
    }
    expect(await ctx.db('sessions').count<{ n: number }[]>({ n: '*' })).toEqual(before);
  });

  it('the page header shows who is signed in and links to the newsroom, and only that', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const home = await reporter.get('/').expect(200);
    expect(home.text).toContain('href="/newsroom"');
    expect(home.text).not.toContain(reporter.user.email);
    expect(home.text).not.toContain('argon2');
  });

  it('logging out is a POST that ends the session on the server', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    expect(await sessionRows(reporter.user.id)).toHaveLength(1);
    await reporter.get('/logout').expect(404);
    const res = await reporter.post('/logout').expect(303);
    expect(res.headers.location).toBe('/login?signed_out=1');
    expect(await sessionRows(reporter.user.id)).toHaveLength(0);
    await reporter.get('/newsroom').expect(303);
  });

  it('the old cookie is worthless after logout, even replayed', async () => {
    const user = await createUser(ctx.db);
    const page = await request(ctx.app).get('/login').expect(200);
    const signedIn = await request(ctx.app)
      .post('/login')
      .set('Cookie', String(page.headers['set-cookie']).split(';')[0]!)
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD }))
      .expect(303);
    const cookie = /(kj\.sid=[^;]+)/.exec(String(signedIn.headers['set-cookie']))![1]!;
    const newsroom = await request(ctx.app).get('/newsroom').set('Cookie', cookie).expect(200);
    await request(ctx.app)
      .post('/logout')
      .set('Cookie', cookie)
      .type('form')
      .send(formBody({ _csrf: csrfFrom(newsroom.text) }))
      .expect(303);
    await request(ctx.app).get('/newsroom').set('Cookie', cookie).expect(303);
  });

  it('logging out without the CSRF token is refused and the session stays', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const res = await reporter.agent.post('/logout').type('form').send('');
    expect(res.status).toBe(403);
    expect(await sessionRows(reporter.user.id)).toHaveLength(1);
    await reporter.get('/newsroom').expect(200);
  });

  it('an admin disabling an account ends its open sessions at once', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.get('/newsroom').expect(200);
    await admin.post(`/newsroom/users/${reporter.user.id}/disable`).expect(303);
    expect(await sessionRows(reporter.user.id)).toHaveLength(0);
    const res = await reporter.get('/newsroom').expect(303);
    expect(res.headers.location).toMatch(/^\/login/);
    await reporter.post('/newsroom/claims/new', { quote: 'x' }).expect(401);
    // And the disabled account cannot come back in.
    const page = await request.agent(ctx.app).get('/login');
    const again = await request(ctx.app)
      .post('/login')
      .set('Cookie', String(page.headers['set-cookie']).split(';')[0]!)
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), email: reporter.user.email, password: TEST_PASSWORD }));
    expect(again.status).toBe(401);
  });

  it('an account disabled behind the app’s back (CLI, SQL) loses its session on its next request', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await ctx.db('users').where({ id: editor.user.id }).update({ active: false });
    await editor.get('/newsroom').expect(303);
    expect(await sessionRows(editor.user.id)).toHaveLength(0);
  });

  it('a role change takes effect on the next request', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.get('/newsroom/review').expect(200);
    await ctx.db('users').where({ id: editor.user.id }).update({ role: 'reporter' });
    await editor.get('/newsroom/review').expect(403);
  });

  it('a session ends after the absolute timeout, however active it was', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const eightDaysAgo = Date.now() - 8 * 24 * 60 * 60 * 1000;
    await ctx.db.raw(
      "UPDATE sessions SET sess = (sess::jsonb || jsonb_build_object('signedInAt', ?::bigint))::json WHERE (sess->>'userId') = ?",
      [eightDaysAgo, String(reporter.user.id)],
    );
    await reporter.get('/newsroom').expect(303);
    expect(await sessionRows(reporter.user.id)).toHaveLength(0);
  });

  it('a session ends after its idle time (the stored expiry passes)', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await ctx
      .db('sessions')
      .whereRaw("(sess->>'userId') = ?", [String(reporter.user.id)])
      .update({ expired: new Date(Date.now() - 1000) });
    await reporter.get('/newsroom').expect(303);
  });

  it('each request pushes the idle expiry forward (rolling), about eight hours ahead', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await ctx
      .db('sessions')
      .whereRaw("(sess->>'userId') = ?", [String(reporter.user.id)])
      .update({ expired: new Date(Date.now() + 60 * 1000) });
    await reporter.get('/newsroom').expect(200);
    const [row] = await sessionRows(reporter.user.id);
    const ahead = new Date(row.expired).getTime() - Date.now();
    expect(ahead).toBeGreaterThan(7 * 60 * 60 * 1000);
    expect(ahead).toBeLessThanOrEqual(8 * 60 * 60 * 1000 + 5000);
  });

  it('an admin resetting a password ends that account’s sessions; the new password works', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const newPassword = 'kata-sandi-baru-yang-panjang-sekali';
    await admin.post(`/newsroom/users/${reporter.user.id}/password`, { password: newPassword }).expect(303);
    await reporter.get('/newsroom').expect(303);
    await signIn(ctx.app, { ...reporter.user, password: newPassword });
  });

  it('a password changed while a request was in flight still ends the session (credential check)', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const other = await createUser(ctx.db, { password: 'sebuah-kata-sandi-lain-yang-panjang' });
    const { password_hash } = await ctx.db('users').where({ id: other.id }).first();
    // The row is changed directly, without ending sessions: the fingerprint check alone must catch it.
    await ctx.db('users').where({ id: reporter.user.id }).update({ password_hash });
    await reporter.get('/newsroom').expect(303);
  });
});

describe('a redirect after a session change', () => {
  const ctx = useNewsroomApp();

  // On PostgreSQL the next request may run on another pooled connection than the session's save: the
  // redirect must not reach the browser before the save has committed. A lock on the sessions table
  // holds the save back, and the test looks at what has arrived meanwhile.
  it.runIf(Boolean(testDatabaseUrl))(
    'leaves only once the session (its flash) is saved',
    async () => {
      const user = await createUser(ctx.db, { role: 'reporter' });
      const login = await request(ctx.app).get('/login').expect(200);
      const signedIn = await request(ctx.app)
        .post('/login')
        .set('Cookie', String(login.headers['set-cookie']).split(';')[0]!)
        .type('form')
        .send(formBody({ _csrf: csrfFrom(login.text), email: user.email, password: TEST_PASSWORD }))
        .expect(303);
      const cookie = /(kj\.sid=[^;]+)/.exec(String(signedIn.headers['set-cookie']))![1]!;
      const form = await request(ctx.app).get('/newsroom/topics').set('Cookie', cookie).expect(200);
      const body = formBody({ _csrf: csrfFrom(form.text), name: `Topik ${user.id}` });

      const server = http.createServer(ctx.app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const blocker = createDb({ databaseUrl: ctx.database.url!, poolMax: 1 });
      const trx = await blocker.transaction();
      try {
        await trx.raw('LOCK TABLE sessions IN SHARE MODE');
        let arrived: http.IncomingMessage | undefined;
        const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
          const post = http.request(
            {
              port: (server.address() as AddressInfo).port,
              host: '127.0.0.1',
              method: 'POST',
              agent: false,
              path: '/newsroom/topics',
              headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
            },
            (res) => {
              arrived = res;
              res.resume();
              resolve(res);
            },
          );
          post.on('error', reject);
          post.end(body);
        });
        // The session's save is waiting for the lock.
        for (;;) {
          const { rows } = await trx.raw(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'sessions'::regclass`,
          );
          if (rows[0].n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(arrived).toBeUndefined();
        await trx.commit();
        const res = await answered;
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/newsroom/topics');
        const next = await request(ctx.app).get('/newsroom/topics').set('Cookie', cookie).expect(200);
        expect(next.text).toContain('Tersimpan.');
      } finally {
        if (!trx.isCompleted()) await trx.rollback();
        await blocker.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    60_000,
  );
});

describe('sessions under NODE_ENV=production', () => {
  // Not the warm-up helper: its plain-http agent cannot carry Secure cookies.
  const ctx = useTestApp({
    NODE_ENV: 'production',
    SESSION_SECRET: 'rahasia-produksi-yang-panjang-sekali-0123456789',
  });

  it('the cookies are Secure, __Host- prefixed, HttpOnly and SameSite', async () => {
    const user = await createUser(ctx.db);
    const page = await request(ctx.app).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
    const loginCookie = String(page.headers['set-cookie']);
    expect(loginCookie).toMatch(/^__Host-kj\.login=/);
    expect(loginCookie).toMatch(/Secure/);
    expect(loginCookie).toMatch(/SameSite=Strict/i);
    const res = await request(ctx.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', loginCookie.split(';')[0]!)
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD }))
      .expect(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/__Host-kj\.sid=/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);
    const session = /(__Host-kj\.sid=[^;]+)/.exec(cookie)![1]!;
    await request(ctx.app)
      .get('/newsroom')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', session)
      .expect(200);
  }, 90_000);

  it('over plain HTTP the sign-in page says why signing in cannot work, in both languages', async () => {
    const plain = await request(ctx.app).get('/login').expect(200);
    expect(plain.text).toContain('id="login-insecure"');
    expect(plain.text).toContain('hanya mengirim cookie sesi lewat HTTPS');
    const english = await request(ctx.app).get('/login?lang=en').expect(200);
    expect(english.text).toContain('Signing in cannot work at this address');
    // A refused post (its Secure sign-in cookie never came back) shows the reason as well.
    const posted = await request(ctx.app)
      .post('/login')
      .type('form')
      .send(formBody({ _csrf: csrfFrom(plain.text), email: 'a@example.org', password: TEST_PASSWORD }))
      .expect(403);
    expect(posted.text).toContain('id="login-insecure"');
    // Over TLS, as a trusted proxy reports it, the page says nothing of the kind.
    const secure = await request(ctx.app).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
    expect(secure.text).not.toContain('login-insecure');
  });
});

describe('the sign-in page outside production', () => {
  const ctx = useTestApp();

  it('says nothing about HTTPS over plain HTTP, where the cookies are not Secure', async () => {
    const page = await request(ctx.app).get('/login').expect(200);
    expect(page.text).toContain('name="password"');
    expect(page.text).not.toContain('login-insecure');
  });
});
