import { type Request, type Response, Router } from 'express';
import { type CeilingKind, staticCeiling } from './static-ceiling';

/**
 * GET /__bench/static/:slug: the verdict page of :slug as prebuilt bytes from memory, behind the same
 * middleware as every page; GET /__bench/static/:slug/share.png, its share image the same way;
 * GET /__bench/static/events/:slug, the page of the event :slug. The benchmark (bench/,
 * docs/PERFORMANCE.md) measures each route against it.
 * Wired only when BENCH_STATIC_CEILING is on.
 */
export function benchRoutes(): Router {
  const router = Router();
  const ceiling = staticCeiling();
  const send = (kind: CeilingKind) => async (req: Request<{ slug: string }>, res: Response) => {
    const page = await ceiling.page(
      req.params.slug,
      { address: req.socket.localAddress ?? '127.0.0.1', port: req.socket.localPort ?? 0 },
      kind,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', page.contentType);
    res.setHeader('ETag', page.etag);
    res.send(page.body);
  };
  router.get('/__bench/static/events/:slug', send('event-page'));
  router.get('/__bench/static/:slug', send('page'));
  router.get('/__bench/static/:slug/share.png', send('share-image'));
  return router;
}
