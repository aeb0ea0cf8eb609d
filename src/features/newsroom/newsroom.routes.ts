import express, { type NextFunction, type Request, type Response, Router } from 'express';
import multer from 'multer';
import { actorOf, requireRole, requireSignIn } from '../../http/auth';
import { csrfProtection } from '../../http/csrf';
import { formBodiesOnly, MAX_FORM_BYTES, MAX_FORM_FIELDS, verifyFormEncoding } from '../../http/limits';
import { AppError, PayloadTooLargeError } from '../../lib/errors';
import { MAX_FINDER_FILE_BYTES } from '../finder/finder.schemas';
import { MAX_PHOTO_BYTES } from '../photos/photo-check';
import { hasRole } from '../users/accounts';
import type { Role } from '../users/users.repository';
import type { DashboardService } from './dashboard.service';

/** Where candidate photos are uploaded (under /newsroom). */
const PHOTO_PATH = /^\/candidates\/\d{1,9}\/photos$/;

/** Largest CSV file the import accepts. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/**
 * In front of everything under /newsroom: never cached, signed-in accounts only, bodies parsed (forms
 * and the CSV upload), and the CSRF token checked on every state-changing request, in that order, so
 * that someone signed out gets 401 or the sign-in page rather than a CSRF refusal.
 */
export function newsroomGuard(): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50, fieldSize: 3 * 1024 * 1024 },
  });
  // The finder reads larger files (a manifesto's PDF).
  const finderUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_FINDER_FILE_BYTES, files: 1, fields: 50, fieldSize: 3 * 1024 * 1024 },
  });
  // Candidate photos: one image in the field `photo`, up to 5 MB. A larger one is not an error of the
  // request but of the form: the route says so beside the field (req.uploadRefusal), nothing is kept.
  const photoUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });
  const uploads = (path: string) =>
    path === '/finder'
      ? finderUpload.single('file')
      : PHOTO_PATH.test(path)
        ? photoUpload.single('photo')
        : upload.single('file');
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'private, no-store');
    res.set('X-Robots-Tag', 'noindex');
    next();
  });
  router.use(requireSignIn);
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.can = (role: Role) => hasRole(req.user, role);
    // Times of day in the newsroom's lists, in UTC like the database (dates go through formatDate).
    res.locals.timeOf = (value: Date | string | null | undefined) =>
      value ? `${new Date(value).toISOString().slice(11, 16)} UTC` : '';
    next();
  });
  // Text fields can be long (explanations, a pasted CSV); only signed-in accounts get this far.
  router.use(formBodiesOnly);
  router.use(
    express.urlencoded({
      extended: false,
      limit: MAX_FORM_BYTES,
      parameterLimit: MAX_FORM_FIELDS,
      verify: verifyFormEncoding,
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) {
      next();
      return;
    }
    uploads(req.path)(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' && PHOTO_PATH.test(req.path)) {
        req.uploadRefusal = 'photo_too_large';
        next();
        return;
      }
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE';
        if (err.code === 'LIMIT_FIELD_COUNT') next(new AppError('too_many_fields', 413, 'too_many_fields'));
        else if (tooLarge && err.code === 'LIMIT_FILE_SIZE' && req.path === '/finder') {
          // The finder's own limit, said as such (the file, 5 MB), rather than "too much data".
          next(new AppError('finder_file_too_large', 413, 'finder_file_too_large'));
        } else next(tooLarge ? new PayloadTooLargeError() : new AppError('bad_request', 400, err.code));
        return;
      }
      next(err);
    });
  });
  router.use(csrfProtection);
  return router;
}

export function dashboardRoutes(deps: { dashboard: DashboardService }): Router {
  const router = Router();
  router.get('/newsroom', requireRole('reporter'), async (req, res) => {
    res.render('newsroom/dashboard', {
      title: req.t('newsroom.title'),
      ...(await deps.dashboard.forActor(actorOf(req))),
    });
  });
  return router;
}
