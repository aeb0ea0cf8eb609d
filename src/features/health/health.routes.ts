import { Router } from 'express';
import { type Db, isReady } from '../../db';

export interface Lifecycle {
  /** False once shutdown has begun, so load balancers stop sending traffic before the pool closes. */
  accepting: boolean;
}

export function healthRoutes(deps: { db: Db; lifecycle: Lifecycle }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = deps.lifecycle.accepting && (await isReady(deps.db));
    res
      .status(database ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: database ? 'ready' : 'not_ready',
        database: database ? 'up' : deps.lifecycle.accepting ? 'down' : 'shutting_down',
      });
  });
  return router;
}
