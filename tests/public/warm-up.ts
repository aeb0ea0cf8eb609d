import request from 'supertest';
import { beforeAll } from 'vitest';
import type { TestContext } from '../helpers/app';

/**
 * Renders the home page once before a file's tests: the first request pays for compiling templates and
 * warming the database engine, which on a busy machine can take longer than one test may, but not longer
 * than a hook may.
 */
export function warmUp(ctx: TestContext): void {
  beforeAll(async () => {
    await request(ctx.app).get('/');
  });
}
