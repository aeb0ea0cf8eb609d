import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';

/** What a page was built from: when it last changed, and a tag that changes whenever it does. */
export interface Freshness {
  lastModified: Date | null;
  /** Record versions and timestamps (at full database precision) joined into one string. */
  version: string;
}

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The code that renders pages: a hash of src/ and views/, and their newest modification time. A deploy
 * that changes a template or a string changes every ETag, and instances running the same code agree.
 */
const deploy = (() => {
  const hash = createHash('sha256');
  let newest = 0;
  for (const dir of ['src', 'views']) {
    const base = path.join(root, dir);
    if (!fs.existsSync(base)) continue;
    const files = (fs.readdirSync(base, { recursive: true }) as string[]).sort();
    for (const name of files) {
      const file = path.join(base, name);
      const stat = fs.statSync(file);
      if (!stat.isFile()) continue;
      hash.update(name).update(fs.readFileSync(file));
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return { id: hash.digest('base64url').slice(0, 16), time: new Date(Math.floor(newest / 1000) * 1000) };
})();

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
