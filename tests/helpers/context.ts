import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/db';
import { createTestDatabase, type TestDatabase } from './database';

/** Just a fresh migrated database for this test file (no app), for tests of the schema and repositories. */
export function createTestDatabaseContext(): { db: Db; database: TestDatabase } {
  const context = {} as { db: Db; database: TestDatabase };
  beforeAll(async () => {
    context.database = await createTestDatabase();
    context.db = context.database.db;
  });
  afterAll(async () => {
    await context.database?.destroy();
  });
  return context;
}
