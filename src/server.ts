import http from 'node:http';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createDb, migrateLatest } from './db';
import type { Lifecycle } from './features/health/health.routes';
import { createLogger } from './lib/logger';
import { loadSeedIfEmpty } from './lib/seed-runner';

/** How long in-flight requests get to finish after SIGTERM/SIGINT before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const engine = config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`;

  await migrateLatest(db);
  const seeded = await loadSeedIfEmpty(db);
  logger.info({ engine, seeded }, 'database ready');

  const lifecycle: Lifecycle = { accepting: true };
  const app = buildApp({ config, db, logger, lifecycle });
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  server.listen(config.port, () => {
    logger.info({ port: config.port, baseUrl: config.baseUrl }, 'Kawal Janji is listening');
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.accepting = false;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('requests still open after the grace period; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stop accepting connections, let in-flight requests finish, close idle keep-alive connections.
    server.close(async () => {
      await db.destroy();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(
    `Kawal Janji failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
