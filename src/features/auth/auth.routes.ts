import express, { type Request, type Response, Router } from 'express';
import { actorOf } from '../../http/auth';
import { csrfProtection, type LoginCsrf } from '../../http/csrf';
import { formBodiesOnly, MAX_SIGN_IN_BYTES, verifyFormEncoding } from '../../http/limits';
import { destroySession, regenerateSession, saveSession } from '../../http/session';
import { TooManyRequestsError } from '../../lib/errors';
import { type AuthService, SignInFailedError } from './auth.service';
import { safeNextPath } from './next-path';

const DEFAULT_AFTER_SIGN_IN = '/newsroom';

export function authRoutes(deps: {
  auth: AuthService;
  loginCsrf: LoginCsrf;
  sessionCookie: { name: string; secure: boolean };
}): Router {
  /**
   * In production the sign-in and session cookies are Secure: over plain HTTP (no TLS here, and no trusted
   * proxy saying X-Forwarded-Proto: https) the browser never sends them back, and signing in cannot work.
   */
  const cannotSignInHere = (req: Request) => deps.sessionCookie.secure && !req.secure;
  const { auth, loginCsrf } = deps;
  const router = Router();
  const form = express.urlencoded({
    extended: false,
    limit: MAX_SIGN_IN_BYTES,
    parameterLimit: 20,
    verify: verifyFormEncoding,
  });

  function renderLogin(
    req: Request,
    res: Response,
    status: number,
    options: {
      email?: string;
      next?: string;
      error?: string;
      notice?: string | undefined;
      retryMinutes?: number;
    } = {},
  ) {
    res.status(status).set('Cache-Control', 'no-store');
    res.render('auth/login', {
      title: req.t('auth.title'),
      csrfToken: loginCsrf.issue(req, res),
      email: options.email ?? '',
      next: options.next ?? '',
      error: options.error,
      notice: options.notice,
      retryMinutes: options.retryMinutes,
      insecure: cannotSignInHere(req),
    });
  }

  router.get('/login', (req, res) => {
    const next = safeNextPath(req.query.next);
    if (req.user) {
      res.redirect(303, next ?? DEFAULT_AFTER_SIGN_IN);
      return;
    }
    renderLogin(req, res, 200, {
      next: next ?? '',
      notice: req.query.signed_out ? 'auth.signed_out' : undefined,
    });
  });

  router.post('/login', formBodiesOnly, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    const next = safeNextPath(body.next);
    if (!loginCsrf.verify(req)) {
      renderLogin(req, res, 403, { email, next, error: 'auth.error.form_expired' });
      return;
    }
    try {
      const user = await auth.signIn({
        email: body.email,
        password: body.password,
        ip: req.ip ?? 'unknown',
        requestId: req.id === undefined ? undefined : String(req.id),
      });
      await regenerateSession(req);
      req.session.userId = user.id;
      req.session.signedInAt = Date.now();
      req.session.credential = user.credential;
      await saveSession(req);
      res.set('Cache-Control', 'no-store').redirect(303, next ?? DEFAULT_AFTER_SIGN_IN);
    } catch (err) {
      if (err instanceof SignInFailedError) {
        renderLogin(req, res, 401, { email, next, error: 'auth.error.wrong' });
        return;
      }
      if (err instanceof TooManyRequestsError) {
        res.set('Retry-After', String(err.retryAfterSeconds));
        renderLogin(req, res, 429, {
          email,
          next,
          error: 'auth.error.throttled',
          retryMinutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)),
        });
        return;
      }
      throw err;
    }
  });

  router.post(
    '/logout',
    formBodiesOnly,
    form,
    (req, res, next) => {
      if (!req.user) {
        res.set('Cache-Control', 'no-store').redirect(303, '/login');
        return;
      }
      csrfProtection(req, res, next);
    },
    async (req, res) => {
      const actor = actorOf(req);
      await destroySession(req);
      res.clearCookie(deps.sessionCookie.name, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.sessionCookie.secure,
      });
      await auth.signOut(req.user!, actor.requestId);
      res.set('Cache-Control', 'no-store').redirect(303, '/login?signed_out=1');
    },
  );

  return router;
}
