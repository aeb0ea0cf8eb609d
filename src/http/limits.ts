import type { IncomingMessage } from 'node:http';
import querystring from 'node:querystring';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../lib/errors';

// Explicit limits on what a request may carry, each refused with its own 4xx and a page that says which
// limit it hit (docs/RELIABILITY.md, "Hostile input"). Field lengths are the forms' own (zod schemas).

/** Longest URL (path and query) accepted; Node itself refuses headers past 16 KiB with 431. */
export const MAX_URL_LENGTH = 4096;
/** Most query parameters accepted; no page of ours uses more than a dozen. */
export const MAX_QUERY_PARAMETERS = 100;
/** Most fields in a form body (the CSV import is one field; a claim with 200 topics fits). */
export const MAX_FORM_FIELDS = 1000;
/** Largest newsroom form body (long explanations, a pasted CSV) and sign-in form body. */
export const MAX_FORM_BYTES = '3mb';
export const MAX_SIGN_IN_BYTES = '10kb';

/** Most `[…]` groups in a parameter name: `a[b]` is a name like any other (ignored when unknown), no deeper. */
export const MAX_PARAMETER_NESTING = 1;

function strictDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

/** Whether every name and value of an x-www-form-urlencoded text is well-formed UTF-8 percent-encoding. */
export function isWellFormedFormEncoding(text: string): boolean {
  for (const pair of text.split('&')) {
    try {
      strictDecode(pair);
    } catch {
      return false;
    }
  }
  return true;
}

/** What a query value that is not UTF-8 percent-encoding becomes: a character no parameter accepts. */
export const UNDECODABLE = '\u0000';

/**
 * Express's "query parser": node's querystring (flat: `a[b]` is just a name, repeated names make a list),
 * except that a value that is not well-formed UTF-8 percent-encoding (`%FF`, `%C0%AF`, `%`) is read as
 * U+0000 rather than with U+FFFD in place of its bytes: every parameter refuses it by name (400), like any
 * other nonsense, instead of searching for or storing something that was never sent.
 */
export function strictQueryParser(query: string): Record<string, string | string[]> {
  return querystring.parse(query, '&', '=', {
    maxKeys: 0,
    decodeURIComponent: (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return UNDECODABLE;
      }
    },
  }) as Record<string, string | string[]>;
}

/**
 * Refuses, before any route runs: a URL too long (414), more than MAX_QUERY_PARAMETERS parameters (400),
 * parameter names nested deeper than MAX_PARAMETER_NESTING (`q[a][b]`, 400) and a path that is not UTF-8
 * percent-encoding (400).
 */
export function requestLimits() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    if (url.length > MAX_URL_LENGTH) {
      next(new AppError('uri_too_long', 414, 'uri_too_long'));
      return;
    }
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    try {
      decodeURIComponent(path);
    } catch {
      next(new AppError('invalid_encoding', 400, 'invalid_encoding'));
      return;
    }
    if (query === '') {
      next();
      return;
    }
    const pairs = query.split('&').filter((pair) => pair !== '');
    if (pairs.length > MAX_QUERY_PARAMETERS) {
      next(new AppError('too_many_parameters', 400, 'too_many_parameters'));
      return;
    }
    for (const pair of pairs) {
      const equals = pair.indexOf('=');
      const name = (equals < 0 ? pair : pair.slice(0, equals)).replace(/%5b/gi, '[').replace(/%5d/gi, ']');
      if ((name.match(/\[[^\]]*\]/g) ?? []).length > MAX_PARAMETER_NESTING) {
        next(new AppError('nested_parameters', 400, 'nested_parameters'));
        return;
      }
    }
    next();
  };
}

/**
 * `verify` for express.urlencoded: a body that is not well-formed UTF-8 percent-encoding is refused (400)
 * rather than read with U+FFFD in place of what was sent, which would then be stored as if typed.
 */
export function verifyFormEncoding(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw Object.assign(new Error('invalid_encoding'), { status: 400, type: 'invalid_encoding' });
  }
  if (!isWellFormedFormEncoding(text)) {
    throw Object.assign(new Error('invalid_encoding'), { status: 400, type: 'invalid_encoding' });
  }
}

/**
 * Form posts only, in UTF-8: a body of another type (JSON, text, XML) or character set is refused with 415
 * rather than ignored or misread, so that it is never mistaken for an empty or a different form.
 */
export function formBodiesOnly(req: Request, _res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
    next();
    return;
  }
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is(['application/x-www-form-urlencoded', 'multipart/form-data'])) {
    next(new AppError('unsupported_media_type', 415, 'unsupported_media_type'));
    return;
  }
  // Our pages are UTF-8, so are their forms: a form declared in another character set is refused too.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i
    .exec(req.headers['content-type'] ?? '')?.[1]
    ?.toLowerCase();
  if (hasBody && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    next(new AppError('unsupported_media_type', 415, 'unsupported_media_type'));
    return;
  }
  next();
}
