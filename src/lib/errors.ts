/** Field name → message key (translated in the view). */
export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'not_found') {
    super('not_found', 404, message);
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = 'validation_failed',
  ) {
    super('validation_failed', 400, message, { fields: fieldErrors });
  }
}

export class ConflictError extends AppError {
  constructor(message = 'conflict', details?: Record<string, unknown>) {
    super('conflict', 409, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'unauthorized') {
    super('unauthorized', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'forbidden') {
    super('forbidden', 403, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message = 'too_many_requests',
    readonly retryAfterSeconds = 60,
  ) {
    super('too_many_requests', 429, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'payload_too_large') {
    super('payload_too_large', 413, message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'service_unavailable') {
    super('service_unavailable', 503, message);
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08003',
  '08006',
  '53300', // too_many_connections
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '3D000', // invalid_catalog_name: the database is gone (dropped or renamed)
  '28000', // invalid_authorization_specification: the server no longer lets us in
  '28P01', // invalid_password
]);

// What pg and knex say when a connection died or could not be had, for errors that carry no SQLSTATE.
const CONNECTION_ERROR_MESSAGES =
  /Connection terminated|connection is closed|not queryable|Query read timeout|Unable to acquire a connection|is not currently accepting connections/i;

/** Turns what the database or a library threw into one of our named kinds. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; status?: unknown; type?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code === '23505') return new ConflictError('duplicate');
  if (code === '23503') return new ValidationError({}, 'reference_missing');
  if (code === '23514' || code === '22001' || code === '22007' || code === '22008' || code === '22P02') {
    return new ValidationError({}, 'invalid_value');
  }
  // Text PostgreSQL cannot store (NUL, 22021/22P05) or a number out of its column's range (22003): the
  // forms refuse these first; this is the net for any input that reaches the database unchecked.
  if (code === '22021' || code === '22P05' || code === '22003')
    return new ValidationError({}, 'invalid_value');
  if (code === '57014') return new ServiceUnavailableError('statement_timeout');
  if (e.name === 'KnexTimeoutError' || (code && CONNECTION_ERROR_CODES.has(code))) {
    return new ServiceUnavailableError('database_unavailable');
  }
  // Class 08 is "connection exception" as a whole.
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return new ServiceUnavailableError('database_unavailable');
  if (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGES.test(e.message)) {
    return new ServiceUnavailableError('database_unavailable');
  }
  // Errors raised by body parsers and other http-errors style libraries carry their own status.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.status === 413 && e.type === 'parameters.too.many') {
      return new AppError('too_many_fields', 413, 'too_many_fields');
    }
    if (e.status === 413) return new PayloadTooLargeError();
    const type = typeof e.type === 'string' ? e.type : 'bad_request';
    return new AppError(type.replace(/\./g, '_'), e.status, 'bad_request');
  }
  return undefined;
}
