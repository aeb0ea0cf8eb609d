import type { NextFunction, Request, Response } from 'express';
import { type Actor, hasRole } from '../features/users/accounts';
import type { Role } from '../features/users/users.repository';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';

export function actorOf(req: Request): Actor {
  const user = req.user;
  if (!user) throw new UnauthorizedError();
  return { id: user.id, role: user.role, requestId: req.id === undefined ? undefined : String(req.id) };
}

/**
 * Only signed-in accounts pass. A page asked for by someone signed out sends them to sign in and back;
 * anything else (a form post, a script) gets 401.
 */
export function requireSignIn(req: Request, res: Response, next: NextFunction) {
  if (req.user) {
    next();
    return;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.set('Cache-Control', 'no-store');
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new UnauthorizedError());
}

/** The account's role must be `role` or above; checked on the server whatever the page showed. */
export function requireRole(role: Role) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      requireSignIn(req, res, next);
      return;
    }
    if (!hasRole(req.user, role)) {
      next(new ForbiddenError('role_required'));
      return;
    }
    next();
  };
}
