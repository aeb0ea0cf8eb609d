import { Router } from 'express';
import { staticCeiling } from './static-ceiling';

/**
 * GET /__bench/static/:slug: the verdict page of :slug as prebuilt bytes from memory, behind the same
 * middleware as every page. The benchmark (bench/, docs/PERFORMANCE.md) measures each route against it.
 * Wired only when BENCH_STATIC_CEILING is on.
 */
export function benchRoutes(): Router {
  const router = Router();
  const ceiling = staticCeiling();
  router.get('/__bench/static/:slug', async (req, res) => {
    const page = await ceiling.page(req.params.slug, {
      address: req.socket.localAddress ?? '127.0.0.1',
      port: req.socket.localPort ?? 0,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', page.contentType);
    res.setHeader('ETag', page.etag);
    res.send(page.body);
  });
  return router;
}
