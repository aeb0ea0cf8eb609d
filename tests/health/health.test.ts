import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createLogger } from '../../src/lib/logger';
import { testConfig, useTestApp } from '../helpers/app';
import { createTestDatabase } from '../helpers/database';

describe('health, readiness and errors', () => {
  const ctx = useTestApp();

  it('/healthz answers while the process is up', async () => {
    const res = await request(ctx.app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when the database answers', async () => {
    const res = await request(ctx.app).get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', database: 'up' });
  });

  it('/readyz answers 503 once shutdown has begun', async () => {
    ctx.lifecycle.accepting = false;
    try {
      const res = await request(ctx.app).get('/readyz').expect(503);
      expect(res.body).toMatchObject({ status: 'not_ready', database: 'shutting_down' });
    } finally {
      ctx.lifecycle.accepting = true;
    }
  });

  it('answers JSON errors under /api and HTML pages elsewhere, without stack traces', async () => {
    const api = await request(ctx.app).get('/api/v1/nothing-here').expect(404);
    expect(api.body).toEqual({ error: { code: 'not_found', message: 'Halaman tidak ditemukan' } });
    const page = await request(ctx.app).get('/nothing-here').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Halaman tidak ditemukan');
    expect(page.text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('readiness when the database is gone', () => {
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    app = buildApp({ config: testConfig(), db: database.db, logger: createLogger({ level: 'silent' }) });
    await database.destroy();
  });
  afterAll(() => {});

  it('/readyz answers 503 and pages answer with a helpful page, not a stack', async () => {
    const ready = await request(app).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({ status: 'not_ready', database: 'down' });
    const home = await request(app).get('/');
    expect(home.status).toBeGreaterThanOrEqual(500);
    expect(home.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
