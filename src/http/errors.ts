import type { NextFunction, Request, Response } from 'express';
import { AppError, NotFoundError, TooManyRequestsError, toAppError } from '../lib/errors';
import type { Logger } from '../lib/logger';

const PAGE_FOR_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** Refusals that have a page of their own, naming the limit the request hit (src/http/limits.ts). */
const PAGE_FOR_CODE: Record<string, string> = {
  too_many_parameters: 'too_many_parameters',
  nested_parameters: 'nested_parameters',
  invalid_encoding: 'invalid_encoding',
  too_many_fields: 'too_many_fields',
  finder_file_too_large: 'finder_file_too_large',
};

export function notFound(_req: Request, _res: Response, next: NextFunction) {
  next(new NotFoundError());
}

export function isApiRequest(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/');
}

/** A newsroom script that asked for JSON (the finder answers it) gets its errors as JSON too. */
function wantsNewsroomJson(req: Request): boolean {
  return req.path.startsWith('/newsroom/') && req.accepts(['html', 'json']) === 'json';
}

/** The one error handler: HTML pages for people, JSON for /api, never a stack trace outside development. */
export function errorHandler(options: { logger: Logger; development: boolean }) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = toAppError(err);
    const error = known ?? new AppError('internal_error', 500, 'internal_error');
    const log = (req as Request & { log?: Logger }).log ?? options.logger;
    if (!known) log.error({ err, requestId: req.id }, 'unhandled error');
    else if (error.status >= 500) log.warn({ err, requestId: req.id }, error.message);

    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 503) res.setHeader('Retry-After', '5');
    res.status(error.status);
    res.setHeader('Cache-Control', 'no-store');

    const t = req.t ?? ((key: string) => key);
    const page =
      PAGE_FOR_CODE[error.code] ??
      PAGE_FOR_STATUS[error.status] ??
      (error.status >= 500 ? 'server' : 'bad_request');
    if (isApiRequest(req) || wantsNewsroomJson(req)) {
      res.json({
        error: {
          code: error.code,
          message: t(`error.${page}.title`),
          ...(error.details ? { details: error.details } : {}),
        },
      });
      return;
    }
    res.render('errors/error', {
      title: t(`error.${page}.title`),
      message: t(`error.${page}.body`),
      requestId: String(req.id ?? ''),
      stack: options.development && !known && err instanceof Error ? err.stack : undefined,
    });
  };
}
