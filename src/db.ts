import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { PGlite } from '@electric-sql/pglite';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from './lib/logger';
import { migrationSource } from './lib/migration-source';

export type Db = Knex;

// The embedded engine is loaded only when used: it weighs about 85 MB of memory once imported, which a
// server on PostgreSQL should not carry. Through require, the same (CommonJS) copy knex-pglite loads.
const requireModule = createRequire(import.meta.url);

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Calendar dates stay 'YYYY-MM-DD' strings: a Date object would shift them by the server's time zone.
// Counts (int8) and averages (numeric) fit in a double for every table size we plan for.
pg.types.setTypeParser(DATE_OID, (value: string) => value);
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));
pg.types.setTypeParser(NUMERIC_OID, (value: string) => Number(value));

export const pgliteParsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
  [NUMERIC_OID]: (value: string) => Number(value),
};

/**
 * What every embedded instance is made with: our type parsers, and the contrib extensions the migrations
 * create (pg_trgm, for the finder's similar-claim lookup), which PGlite loads only when given them here.
 */
export function pgliteOptions() {
  const { pg_trgm } = requireModule(
    '@electric-sql/pglite/contrib/pg_trgm',
  ) as typeof import('@electric-sql/pglite/contrib/pg_trgm');
  return { parsers: pgliteParsers, extensions: { pg_trgm } };
}

export interface DbOptions {
  /** A PostgreSQL server; without it the embedded engine is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded engine keeps its files; omitted means in memory. */
  dataDir?: string | undefined;
  /** An embedded instance made elsewhere (tests clone a migrated one). */
  pglite?: PGlite;
  /** Largest pool for the server; the embedded engine always has one connection. */
  poolMax?: number;
  applicationName?: string;
  /** Where knex's own warnings go; without it knex writes them to the console. */
  logger?: Logger;
  /** The longest a statement may run (default 10 s); 0 for none, for a backup that reads whole tables. */
  statementTimeoutMs?: number;
}

/** Where a Db's data lives, for what knex does not do itself (LISTEN on a connection of its own). */
export type DbEngine =
  | { kind: 'postgresql'; connectionString: string }
  | { kind: 'embedded'; pglite: PGlite };

const engines = new WeakMap<Db, DbEngine>();
const closeHooks = new WeakMap<Db, (() => Promise<void>)[]>();

export function createDb(options: DbOptions): Db {
  const db = options.databaseUrl ? createServerDb(options.databaseUrl, options) : createEmbeddedDb(options);
  // Whatever holds a connection of its own beside the pool (a LISTEN connection) closes with the pool.
  const destroy = db.destroy.bind(db);
  const hooks: (() => Promise<void>)[] = [];
  closeHooks.set(db, hooks);
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    value: async (callback?: () => void) => {
      for (const hook of hooks.splice(0)) await hook().catch(() => {});
      return destroy(callback as never);
    },
  });
  return db;
}

/** The engine a Db made by createDb runs on. */
export function engineOf(db: Db): DbEngine | undefined {
  return engines.get(db);
}

/** The most connections `db` holds at once: its pool's bound (the embedded engine has one). */
export function poolSize(db: Db): number {
  return (db.client.config as Knex.Config).pool?.max ?? 1;
}

/** Runs `hook` when `db` is destroyed, before its pool closes (once). */
export function onDestroy(db: Db, hook: () => Promise<void>): void {
  closeHooks.get(db)?.push(hook);
}

function createServerDb(connectionString: string, options: DbOptions): Db {
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const db = knex({
    client: 'pg',
    connection: {
      connectionString,
      application_name: options.applicationName ?? 'kawal-janji',
      // A query that runs longer than this is a bug or an outage: fail it rather than hang a request.
      statement_timeout: statementTimeout,
      // The server enforces statement_timeout only while it can still talk to us: on a network that has
      // gone silent, the client gives up a little later by itself (the request answers 503).
      ...(statementTimeout > 0 ? { query_timeout: statementTimeout + 2_000 } : {}),
      // Connecting (TCP and sign-in) to a server that does not answer fails after 3 s, inside the 4 s
      // that a request waits for a connection below.
      connectionTimeoutMillis: 3_000,
      // A transaction left open by a stuck request must not hold its locks for ever.
      idle_in_transaction_session_timeout: 30_000,
      keepAlive: true,
    },
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) {
        conn.query("SET TIME ZONE 'UTC'", (err) => done(err ?? null, conn));
      },
    },
    // Waiting longer for a connection than this means the database is gone; answer 503 instead.
    acquireConnectionTimeout: 4_000,
    ...(options.logger ? { log: knexLog(options.logger) } : {}),
  });
  engines.set(db, { kind: 'postgresql', connectionString });
  return db;
}

function createEmbeddedDb(options: DbOptions): Db {
  let pglite = options.pglite;
  if (!pglite) {
    if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
    const { PGlite: Engine } = requireModule('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
    pglite = new Engine(options.dataDir, pgliteOptions());
  }
  const instance = pglite;
  const ClientPGLite = requireModule('knex-pglite') as typeof knex.Client;
  const db = knex({
    client: ClientPGLite,
    connection: () => ({ pglite: instance }) as unknown as Knex.StaticConnectionConfig,
    acquireConnectionTimeout: 30_000,
    ...(options.logger ? { log: knexLog(options.logger) } : {}),
  });
  engines.set(db, { kind: 'embedded', pglite: instance });
  return db;
}

/** knex's own warnings (a pooled connection that died, a failed connect) as JSON log lines, not console text. */
function knexLog(logger: Logger): Knex.Config['log'] {
  const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message));
  return {
    warn: (message: unknown) => logger.warn({ component: 'knex' }, text(message)),
    error: (message: unknown) => logger.error({ component: 'knex' }, text(message)),
    debug: (message: unknown) => logger.debug({ component: 'knex' }, text(message)),
    deprecate: (method: string, alternative: string) =>
      logger.warn({ component: 'knex' }, `${method} is deprecated; use ${alternative}`),
  };
}

export async function migrateLatest(db: Db): Promise<void> {
  // The embedded engine's start-up (seconds, far more on a busy machine) is not a wait for a connection:
  // let it finish before knex starts counting its acquire timeout.
  const engine = engines.get(db);
  if (engine?.kind === 'embedded') await engine.pglite.waitReady;
  await db.migrate.latest({ migrationSource });
}

export async function migrateDownToEmpty(db: Db): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}

export async function isReady(db: Db, timeoutMs = 1_500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.raw('select 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
