import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { destroySession } from '../../http/session';
import { formFailure, formValues, pathId, redirectWithFlash } from '../newsroom/forms';
import { ROLES } from './users.repository';
import type { UsersService } from './users.service';

const NEW_USER_FIELDS = ['email', 'display_name', 'role'] as const;
const EDIT_FIELDS = ['display_name', 'role', 'version'] as const;

/** Account management for admins: create, change name and role, disable or enable, reset a password. */
export function usersRoutes(deps: { users: UsersService }): Router {
  const { users } = deps;
  const router = Router();
  const admin = requireRole('admin');

  async function renderList(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    res.status(status).render('newsroom/users', {
      title: req.t('newsroom.users.title'),
      // Each account picked field by field: never the rows themselves.
      users: (await users.list()).map(({ id, email, display_name, role, active }) => ({
        id,
        email,
        display_name,
        role,
        active,
      })),
      roles: ROLES,
      values: formValues({}, NEW_USER_FIELDS),
      errors: {},
      ...locals,
    });
  }

  router.get('/newsroom/users', admin, async (req, res) => {
    await renderList(req, res, 200, {});
  });

  router.post('/newsroom/users', admin, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    try {
      await users.create(
        {
          email: String(body.email ?? ''),
          display_name: String(body.display_name ?? ''),
          role: String(body.role ?? '') as 'reporter',
          password: String(body.password ?? ''),
        },
        actorOf(req),
      );
      await redirectWithFlash(req, res, 'newsroom.flash.user_created', '/newsroom/users');
    } catch (err) {
      const failure = formFailure(err);
      const errors = failure.errors._form === 'email_taken' ? { email: 'email_taken' } : failure.errors;
      await renderList(req, res, failure.status, { values: formValues(req.body, NEW_USER_FIELDS), errors });
    }
  });

  async function renderEdit(req: Request, res: Response, status: number, locals: Record<string, unknown>) {
    const account = await users.findById(pathId(req.params.id));
    res.status(status).render('newsroom/user', {
      title: req.t('newsroom.users.edit'),
      // The account shown is picked field by field: never the row itself.
      account: {
        id: account.id,
        email: account.email,
        display_name: account.display_name,
        role: account.role,
        active: account.active,
      },
      roles: ROLES,
      values: { display_name: account.display_name, role: account.role, version: String(account.version) },
      errors: {},
      conflict: undefined,
      passwordErrors: {},
      ...locals,
    });
  }

  router.get('/newsroom/users/:id', admin, async (req, res) => {
    await renderEdit(req, res, 200, {});
  });

  router.post('/newsroom/users/:id', admin, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await users.update(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/users/${id}`);
    } catch (err) {
      const failure = formFailure(err);
      const values = formValues(req.body, EDIT_FIELDS);
      if (failure.version !== undefined) values.version = String(failure.version);
      await renderEdit(req, res, failure.status, {
        values,
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  for (const [path, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    router.post(`/newsroom/users/:id/${path}`, admin, async (req, res) => {
      const id = pathId(req.params.id);
      try {
        await users.setActive(id, active, actorOf(req));
        await redirectWithFlash(
          req,
          res,
          active ? 'newsroom.flash.user_enabled' : 'newsroom.flash.user_disabled',
          `/newsroom/users/${id}`,
        );
      } catch (err) {
        const failure = formFailure(err);
        await renderEdit(req, res, failure.status, { errors: failure.errors });
      }
    });
  }

  router.post('/newsroom/users/:id/password', admin, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await users.resetPassword(id, (req.body as Record<string, unknown>).password, actorOf(req));
      if (id === req.user?.id) {
        // Their own sessions have just ended, this one included.
        await destroySession(req);
        res.redirect(303, '/login');
        return;
      }
      await redirectWithFlash(req, res, 'newsroom.flash.password_reset', `/newsroom/users/${id}`);
    } catch (err) {
      const failure = formFailure(err);
      await renderEdit(req, res, failure.status, { passwordErrors: failure.errors });
    }
  });

  return router;
}
