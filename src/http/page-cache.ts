import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import onHeaders from 'on-headers';
import type { ChangeFeed } from '../lib/change-feed';
import type { Freshness } from '../lib/freshness';
import type { Remembering } from '../lib/remembering';
import { answerIfFresh, isRevalidation } from './cache';

/** A page the cache may keep: where its version comes from, and how to render it when it must. */
export interface CachedPage {
  /**
   * What the page's version depends on, e.g. `claim:<slug>` or `site`: pages of one scope share one
   * remembered version.
   */
  scope: string;
  /** The page's version, from the database (one small query); throws NotFoundError for no such page. */
  freshness: () => Promise<Freshness>;
  view: string;
  /**
   * Draws the response from what `load` or `locals` gave, instead of rendering `view` (an image): kept
   * and answered like a page, under the same ETag rules.
   */
  draw?: (locals: object) => Promise<{ body: Buffer; contentType: string }>;
  /** Loads what the view needs; called only when the page must be rendered. */
  locals?: () => Promise<object>;
  /**
   * Loads the version and what the view needs together, in one query: used instead of `freshness` then
   * `locals` when the page is to be rendered anyway (a first view, a cache miss, the cache off).
   */
  load?: () => Promise<{ freshness: Freshness; locals: object }>;
}

export interface PageCacheOptions {
  enabled: boolean;
  /** The most HTML the cache holds, in bytes; the least recently used page goes first. */
  maxBytes: number;
  /**
   * Changes to the database, when this instance hears them: versions are then remembered between
   * requests until a change arrives, so that a page served from memory costs no query at all. Without a
   * feed (or while it is down) every request asks the database for the version.
   */
  feed?: ChangeFeed | undefined;
}

export interface PageCacheStats {
  pages: number;
  bytes: number;
  hits: number;
  misses: number;
  /** Versions remembered now. */
  versions: number;
  /** Other reads remembered now (list counts, filter options; see `Remembering`). */
  reads: number;
  /** Whether changes are being heard (so versions may be remembered). */
  listening: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Versions remembered at most (one per verdict page read since the last change, plus one for the site). */
const MAX_VERSIONS = 20_000;
/**
 * Other reads remembered at most: a count per filter set read since the last change, plus a few shared
 * ones. The largest (a list's candidate options) is about 20 KB, so this bounds them to about 20 MB.
 */
const MAX_READS = 1_000;
const HTML = 'text/html; charset=utf-8';

interface Entry {
  body: Buffer;
  contentType: string;
  /** The page's address (language and URL), which `rendered` maps to this entry's key. */
  address: string;
}

/** A remembered read: boxed, since a read may give undefined or null and the cache holds neither. */
interface Kept<V> {
  value: V;
}

/**
 * An in-process cache of rendered public pages, for anonymous readers only. A page is kept under its
 * ETag, which covers the code (the deploy), the language, the URL and the version of the records it shows:
 * a new version is a new key, so a change can never be answered from an older rendering. What can go
 * stale is the version itself, remembered between requests to spare the database; it is forgotten on
 * every change notified through PostgreSQL LISTEN/NOTIFY (other instances, within milliseconds), and
 * before the response to any newsroom write of this instance leaves (so the next request sees it).
 */
export function pageCache(options: PageCacheOptions) {
  // The key of the latest rendering kept for each address (language and URL), whatever its version.
  const rendered = new Map<string, string>();
  const pages = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => Math.max(1, entry.body.length),
    // A page bigger than an eighth of the whole would push out too many others to be worth keeping.
    maxEntrySize: Math.max(1, Math.floor(options.maxBytes / 8)),
    dispose: (entry, key, reason) => {
      if (reason !== 'set' && rendered.get(entry.address) === key) rendered.delete(entry.address);
    },
  });
  const versions = new LRUCache<string, Kept<Freshness>>({ max: MAX_VERSIONS });
  const reads = new LRUCache<string, Kept<unknown>>({ max: MAX_READS });
  let generation = 0;
  let hits = 0;
  let misses = 0;

  const forget = () => {
    generation += 1;
    versions.clear();
    reads.clear();
  };
  options.feed?.subscribe(forget);

  /** Keeps a value read when `generation` was `asked`, unless a change was heard since. */
  function keepRead<V>(store: LRUCache<string, Kept<V>>, key: string, value: V, asked: number): void {
    // A change heard while the query ran may have come after what it read: then do not keep it.
    if (asked !== generation || !options.feed?.live) return;
    store.set(key, { value });
  }

  /** What `read` gives, from `store` when it is there, else read (and kept, while changes are heard). */
  async function readThrough<V>(
    store: LRUCache<string, Kept<V>>,
    key: string,
    read: () => Promise<V>,
  ): Promise<V> {
    if (!options.feed?.live) return read();
    const kept = store.get(key);
    if (kept) return kept.value;
    const asked = generation;
    const value = await read();
    keepRead(store, key, value, asked);
    return value;
  }

  const remembering: Remembering = {
    version: (scope, read) => readThrough(versions, scope, read),
    remembered: <T>(key: string, read: () => Promise<T>) =>
      readThrough(reads as LRUCache<string, Kept<T>>, key, read),
  };

  async function localsOf(page: CachedPage): Promise<object> {
    if (page.load) return (await page.load()).locals;
    if (page.locals) return page.locals();
    throw new Error(`page ${page.view} has neither load nor locals`);
  }

  const addressOf = (req: Request) => `${req.lang}\u0000${req.originalUrl}`;

  function renderToString(res: Response, view: string, locals: object): Promise<string> {
    return new Promise((resolve, reject) => {
      res.render(view, locals, (err: Error | null, html: string) => (err ? reject(err) : resolve(html)));
    });
  }

  /** The page's bytes: the view rendered, or what the page draws itself. */
  async function produce(res: Response, page: CachedPage, locals: object): Promise<Omit<Entry, 'address'>> {
    if (page.draw) return page.draw(locals);
    return { body: Buffer.from(await renderToString(res, page.view, locals)), contentType: HTML };
  }

  /** A rendering for one reader only (signed in, or the cache off). */
  async function sendOnce(res: Response, page: CachedPage, locals: object): Promise<void> {
    if (!page.draw) return res.render(page.view, locals);
    const { body, contentType } = await page.draw(locals);
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }

  function keep(key: string, address: string, produced: Omit<Entry, 'address'>): Entry {
    const entry = { ...produced, address };
    pages.set(key, entry);
    if (pages.has(key)) rendered.set(address, key);
    return entry;
  }

  function send(res: Response, entry: Entry, outcome: 'hit' | 'miss'): void {
    res.setHeader('Content-Type', entry.contentType);
    res.setHeader('X-Page-Cache', outcome);
    res.send(entry.body);
  }

  return {
    enabled: options.enabled,
    /** What services are given: versions and reads kept until the next change, nothing of HTTP. */
    remembering,

    /**
     * Answers a public page: 304 when the reader's copy is current, else the bytes kept for this
     * version, else a fresh rendering (kept for the next reader). Signed-in readers always get a fresh
     * rendering, never kept; with the cache off, every reader does.
     */
    async respond(req: Request, res: Response, page: CachedPage): Promise<void> {
      const cacheable = options.enabled && !req.user;
      const address = addressOf(req);
      // A page to be rendered anyway (never rendered here, or the cache off) and not a revalidation:
      // its version and its content in one query.
      if (page.load && !isRevalidation(req) && !(cacheable && rendered.has(address))) {
        const asked = generation;
        const { freshness, locals } = await page.load();
        answerIfFresh(req, res, freshness);
        if (!cacheable) {
          await sendOnce(res, page, locals);
          return;
        }
        keepRead(versions, page.scope, freshness, asked);
        misses += 1;
        send(res, keep(String(res.getHeader('ETag')), address, await produce(res, page, locals)), 'miss');
        return;
      }
      if (!cacheable) {
        if (answerIfFresh(req, res, await page.freshness())) return;
        await sendOnce(res, page, await localsOf(page));
        return;
      }
      if (answerIfFresh(req, res, await remembering.version(page.scope, page.freshness))) return;
      const key = String(res.getHeader('ETag'));
      const kept = pages.get(key);
      if (kept) {
        hits += 1;
        send(res, kept, 'hit');
        return;
      }
      misses += 1;
      send(res, keep(key, address, await produce(res, page, await localsOf(page))), 'miss');
    },

    /**
     * Before the response to a newsroom write leaves this instance, forget every remembered version: its
     * transaction has committed by then, so the next request asks the database again. (The notification
     * from the database arrives too, but a moment later and over another connection.)
     */
    forgetOnWrites(): RequestHandler {
      return (req: Request, res: Response, next: NextFunction) => {
        if (SAFE_METHODS.has(req.method)) return next();
        onHeaders(res, () => {
          if (req.user) forget();
        });
        next();
      };
    },

    stats(): PageCacheStats {
      return {
        pages: pages.size,
        bytes: pages.calculatedSize,
        hits,
        misses,
        versions: versions.size,
        reads: reads.size,
        listening: options.feed?.live ?? false,
      };
    },
  };
}

export type PageCache = ReturnType<typeof pageCache>;
