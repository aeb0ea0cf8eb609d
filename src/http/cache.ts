import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { deploy } from '../lib/build-info';
import type { Freshness } from '../lib/freshness';

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/** Public for anonymous readers (a CDN may keep it), never stored once a newsroom account is signed in. */
export function setCacheControl(req: Request, res: Response): void {
  res.setHeader('Cache-Control', req.user ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL);
}

/** A request that carries the reader's copy's validators: it may be answered 304. */
export function isRevalidation(req: Request): boolean {
  return req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
}

/**
 * Sets Cache-Control, ETag and Last-Modified from what the page is built of, before anything is rendered,
 * and answers 304 when the reader's copy is still current. Returns true when it answered.
 * The ETag covers the code, the page language, the URL (path and query) and the data's version.
 */
export function answerIfFresh(req: Request, res: Response, freshness: Freshness): boolean {
  setCacheControl(req, res);
  if (req.user) return false;
  res.setHeader('ETag', entityTag(req, freshness));
  const lastModified = latest(freshness.lastModified, deploy.time);
  res.setHeader('Last-Modified', lastModified.toUTCString());
  if (!req.fresh) return false;
  res.status(304).end();
  return true;
}

/**
 * The ETag of a public page for an anonymous reader: the code, the page language, the URL (path and
 * query) and the data's version. Everything an anonymous page's bytes depend on, so it is also the key
 * under which the page cache keeps them.
 */
export function entityTag(req: Request, freshness: Freshness): string {
  const tag = createHash('sha256')
    .update([deploy.id, req.lang, req.originalUrl, freshness.version].join('\u0000'))
    .digest('base64url')
    .slice(0, 27);
  return `W/"${tag}"`;
}

function latest(a: Date | null, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}
