import { ConnectSessionKnexStore } from 'connect-session-knex';
import { type NextFunction, type Request, type Response, Router } from 'express';
import session from 'express-session';
import type { Config } from '../config';
import type { Db } from '../db';
import type { UsersRepository } from '../features/users/users.repository';
import type { Logger } from '../lib/logger';
import { credentialOf } from '../lib/passwords';
import { csrfToken } from './csrf';
import './types';

/** What the live-debate entry form remembers between two quotes. */
export interface LastEntry {
  election_id?: string;
  candidate_id?: string;
  event_id?: string;
  said_on?: string;
  kind?: string;
}

declare module 'express-session' {
  interface SessionData {
    /** The signed-in account; users.repository endSessions() deletes sessions by this key. */
    userId?: number;
    /** When the account signed in (epoch ms), for the absolute timeout. */
    signedInAt?: number;
    /** A fingerprint of the password hash at sign-in: a new password ends the session even mid-request. */
    credential?: string;
    /** A message key shown once on the next page (after a redirect). */
    flash?: string;
    lastEntry?: LastEntry;
  }
}

/** A session ends after this long without a request (the cookie and the stored row both expire). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** And after this long whatever the activity: a stolen cookie is not useful forever. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const CLEANUP_INTERVAL_MS = 15 * 60 * 1000;

export function sessionCookieName(production: boolean): string {
  // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
  return production ? '__Host-kj.sid' : 'kj.sid';
}

export interface SessionDeps {
  config: Config;
  db: Db;
  logger: Logger;
  users: UsersRepository;
}

/**
 * Sessions in the database (the `sessions` table, through the app's own knex, so both engines and any
 * number of instances share them). A session exists only once someone signs in: anonymous readers never
 * touch the table. Every request with a session loads its account again, so that a disabled account, a
 * role change or the absolute timeout takes effect at once.
 */
export function sessions(deps: SessionDeps): Router {
  const { config, db, logger, users } = deps;
  const store = new ConnectSessionKnexStore({
    knex: db,
    tableName: 'sessions',
    createTable: false,
    // Tests build many apps on short-lived databases: a background timer would outlive them.
    cleanupInterval: config.env === 'test' ? 0 : CLEANUP_INTERVAL_MS,
    onDbCleanupError: (err: unknown) => logger.warn({ err }, 'could not delete expired sessions'),
  });
  // The store checks at construction that the table exists and every call awaits that check. The table
  // comes from a migration, so do not let a database that was down at that one moment (or gone since)
  // fail every later request or surface as an unhandled rejection.
  store.ready.catch((err: unknown) => logger.warn({ err }, 'session store: table check failed'));
  store.ready = Promise.resolve();

  const cookieName = sessionCookieName(config.isProduction);
  const router = Router();
  router.use(
    session({
      name: cookieName,
      secret: config.sessionSecret,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.isProduction,
        path: '/',
        maxAge: SESSION_IDLE_MS,
      },
    }),
  );

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (userId === undefined) {
      next();
      return;
    }
    const user = await users.findById(userId);
    const signedInAt = req.session.signedInAt ?? 0;
    const expired = Date.now() - signedInAt > SESSION_ABSOLUTE_MS;
    const credentialChanged =
      user !== undefined && req.session.credential !== credentialOf(user.password_hash);
    if (!user?.active || expired || credentialChanged) {
      await destroySession(req);
      res.clearCookie(cookieName, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.isProduction,
      });
      next();
      return;
    }
    req.user = { id: user.id, email: user.email, display_name: user.display_name, role: user.role };
    // Views get the id (to tell the user's own rows, as the desk's checks), name and role only, never the
    // account row.
    res.locals.currentUser = { id: user.id, display_name: user.display_name, role: user.role };
    res.locals.csrfToken = csrfToken(req);
    if (req.session.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  });
  return router;
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) {
      resolve();
      return;
    }
    req.session.destroy((err) => (err ? reject(err) : resolve()));
  });
}

/** A new session id (and so a new cookie) carrying over nothing: at sign-in, against session fixation. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => (err ? reject(err) : resolve()));
  });
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.save((err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Saves the session, then redirects (303). Left to itself, express-session writes a changed session
 * while the response is already on its way: the browser follows the redirect at once and, on PostgreSQL
 * (a pool of connections), the next request could read the session as it was, losing the flash or the
 * live-debate form's last entry. Every redirect after a session change goes through here.
 */
export async function redirectAfterSave(req: Request, res: Response, to: string): Promise<void> {
  if (req.session) {
    // The change itself has been committed by now: a failed save is logged and the redirect still goes
    // out, rather than an error page that invites doing it twice.
    await saveSession(req).catch((err: unknown) => {
      req.log?.error({ err }, 'could not save the session before a redirect');
    });
  }
  res.redirect(303, to);
}
