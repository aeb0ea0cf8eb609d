import { withDatabase } from './context';

await withDatabase(async (db) => {
  const [, pending] = (await db.migrate.list({
    migrationSource: (await import('../lib/migration-source')).migrationSource,
  })) as [unknown, unknown[]];
  process.stdout.write(`Migrations are up to date (${pending.length} pending after run).\n`);
});
