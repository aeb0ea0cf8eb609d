import { loadConfig } from '../config';
import { createDb, type Db, migrateLatest } from '../db';

/** Opens the configured database (migrated) for a command-line task and closes it afterwards. */
export async function withDatabase<T>(task: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await migrateLatest(db);
    return await task(db);
  } finally {
    await db.destroy();
  }
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
