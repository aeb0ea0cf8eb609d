import { createHash } from 'node:crypto';
import http from 'node:http';
import { NotFoundError } from '../../lib/errors';

/** A verdict page as the app sent it: the bytes and the type, kept in memory. */
export interface CapturedPage {
  body: Buffer;
  contentType: string;
  /** Computed once, so that sending the page does not hash it again (Express would, without one). */
  etag: string;
}

/** A few slugs at most: the benchmark uses one; the bound keeps a misconfigured instance from growing. */
const MAX_PAGES = 16;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * What the ceiling sends: a claim's verdict page, or its share image (a picture costs its bytes), or an
 * event's page.
 */
export type CeilingKind = 'page' | 'share-image' | 'event-page';

const PATHS: Record<CeilingKind, (slug: string) => string> = {
  page: (slug) => `/claims/${slug}`,
  'share-image': (slug) => `/claims/${slug}/share.png`,
  'event-page': (slug) => `/events/${slug}`,
};

/**
 * The benchmark's static ceiling: the verdict page (or the share image, or the event page) of a slug, fetched once from
 * this same server (an anonymous reader's first view: no cookie, no language preference, no
 * compression) and kept, so that later requests cost only the middleware and the sending of the bytes.
 */
export function staticCeiling() {
  const pages = new Map<string, Promise<CapturedPage>>();
  return {
    page(
      slug: string,
      server: { address: string; port: number },
      kind: CeilingKind = 'page',
    ): Promise<CapturedPage> {
      if (!SLUG.test(slug)) return Promise.reject(new NotFoundError());
      const key = `${kind}:${slug}`;
      let page = pages.get(key);
      if (!page) {
        if (pages.size >= MAX_PAGES) return Promise.reject(new NotFoundError());
        page = fetchOnce(PATHS[kind](slug), server);
        pages.set(key, page);
        // Only a page that was actually captured stays; a failure is tried again next time.
        page.catch(() => pages.delete(key));
      }
      return page;
    },
  };
}

function fetchOnce(pathname: string, server: { address: string; port: number }): Promise<CapturedPage> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: server.address.replace(/^::ffff:/, ''),
        port: server.port,
        path: pathname,
        headers: { 'accept-encoding': 'identity' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const contentType = response.headers['content-type'];
          if (response.statusCode !== 200 || !contentType) reject(new NotFoundError());
          else {
            const body = Buffer.concat(chunks);
            const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
            resolve({ body, contentType, etag });
          }
        });
      },
    );
    request.on('error', reject);
  });
}

export type StaticCeiling = ReturnType<typeof staticCeiling>;
