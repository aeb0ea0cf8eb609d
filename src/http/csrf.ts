import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

/** The hidden form field every state-changing newsroom form carries (also accepted as X-CSRF-Token). */
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenFromRequest(req: Request): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof fromBody === 'string') return fromBody;
  const fromHeader = req.headers['x-csrf-token'];
  return typeof fromHeader === 'string' ? fromHeader : undefined;
}

// Synchronizer tokens: one random token per session, kept in the session row on the server.
const synchronizer = csrfSync({ getTokenFromRequest: tokenFromRequest });

/** The session's token (made on first use), for the hidden field of every form. */
export function csrfToken(req: Request): string {
  return synchronizer.generateToken(req);
}

/**
 * Refuses a state-changing request whose token does not match its session's. Runs after the body is
 * parsed (HTML forms send the token in the body). The refusal is a page of its own, because the usual
 * 403 page ("your account is not allowed") would mislead someone whose form simply went stale.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  if (req.session && synchronizer.isRequestValid(req)) {
    next();
    return;
  }
  refuse(req, res);
}

function refuse(req: Request, res: Response) {
  req.log?.warn({ path: req.path }, 'CSRF token missing or wrong');
  res.status(403).set('Cache-Control', 'no-store').render('auth/csrf');
}

/**
 * The sign-in form is the one form sent before there is a session (we create sessions only at
 * sign-in), so it uses a double-submit token instead: a random value in a SameSite=Strict cookie, and
 * in the form an HMAC of it under the session secret. A cross-site page can neither read the cookie nor
 * compute the HMAC, and a cookie planted from a sibling domain does not help without the secret.
 */
export function loginCsrf(options: { secret: string; production: boolean }) {
  return doubleSubmitCsrf({ ...options, purpose: 'login' });
}

/**
 * A double-submit token for a form sent without a session (sign-in, readers' tips): `purpose` names the
 * cookie and goes into the HMAC, so one form's token is no good for another's.
 */
export function doubleSubmitCsrf(options: { secret: string; production: boolean; purpose: string }) {
  const cookieName = options.production ? `__Host-kj.${options.purpose}` : `kj.${options.purpose}`;
  const sign = (value: string) =>
    createHmac('sha256', options.secret).update(`${options.purpose}-csrf:${value}`).digest('base64url');
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.production,
    path: '/',
    maxAge: 2 * 60 * 60 * 1000,
  };

  return {
    /** The token for the form; sets the cookie when there is none yet (so several tabs all work). */
    issue(req: Request, res: Response): string {
      let value = req.cookies?.[cookieName];
      if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
        value = randomBytes(32).toString('base64url');
        res.cookie(cookieName, value, cookieOptions);
      }
      return sign(value as string);
    },
    verify(req: Request): boolean {
      const value = req.cookies?.[cookieName];
      const sent = tokenFromRequest(req);
      if (typeof value !== 'string' || typeof sent !== 'string') return false;
      const expected = Buffer.from(sign(value));
      const actual = Buffer.from(sent);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
    refuse,
  };
}

export type LoginCsrf = ReturnType<typeof loginCsrf>;
export type DoubleSubmitCsrf = ReturnType<typeof doubleSubmitCsrf>;
