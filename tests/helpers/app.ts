import type { Express } from 'express';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import type { Db } from '../../src/db';
import type { Lifecycle } from '../../src/features/health/health.routes';
import { createLogger } from '../../src/lib/logger';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_BASE_URL = 'https://kawal.test';

export interface TestContext {
  app: Express;
  db: Db;
  config: Config;
  database: TestDatabase;
  lifecycle: Lifecycle;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', BASE_URL: TEST_BASE_URL, LOG_LEVEL: 'silent', ...overrides });
}

/**
 * A real app on a fresh database of this test file's own, built before the file's tests and torn down
 * after them. Read the fields inside tests or hooks (they are filled in by beforeAll).
 */
export function useTestApp(overrides: Record<string, string> = {}): TestContext {
  const context = {} as TestContext;
  beforeAll(async () => {
    context.database = await createTestDatabase();
    context.db = context.database.db;
    context.config = testConfig(overrides);
    context.lifecycle = { accepting: true };
    context.app = buildApp({
      config: context.config,
      db: context.db,
      logger: createLogger({ level: 'silent' }),
      lifecycle: context.lifecycle,
    });
  });
  afterAll(async () => {
    await context.database?.destroy();
  });
  return context;
}
