import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Db, engineOf, onDestroy } from '../db';
import type { Logger } from './logger';

/** The channel the `notify_public_change` trigger (migration 20261128120000) notifies on, at commit. */
export const CHANGES_CHANNEL = 'kawal_janji_public';

/** How often the listening connection is checked, and how long the check may take. */
const PING_EVERY_MS = 5_000;
const PING_TIMEOUT_MS = 3_000;
/** Waits between reconnection attempts: 0.5 s, doubling, at most 5 s. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 5_000;

/**
 * Called with the changed table's name, or with undefined when notifications may have been missed (the
 * listening connection dropped, or came back): either way, forget what you remembered.
 */
export type ChangeListener = (table: string | undefined) => void;

/**
 * Changes committed to what public pages are built from, by any writer on any instance, heard through
 * PostgreSQL LISTEN/NOTIFY. The page cache uses it to forget remembered versions; anything else that
 * must react to a change (a live stream) subscribes the same way and unsubscribes when done.
 */
export interface ChangeFeed {
  /** True while notifications are known to arrive: only then may a page's version be remembered. */
  readonly live: boolean;
  /** Adds a listener; the function returned removes it again. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

/** LISTENs on `db`'s database: a pg.Client of its own on PostgreSQL (reconnecting), the engine itself on PGlite. */
export function listenForChanges(db: Db, logger: Logger): ChangeFeed | undefined {
  const engine = engineOf(db);
  if (!engine) return undefined;
  const listeners = new Set<ChangeListener>();
  const emit = (table: string | undefined) => {
    for (const listener of listeners) listener(table);
  };
  const feed =
    engine.kind === 'embedded'
      ? embeddedFeed(engine.pglite, emit, logger)
      : serverFeed(engine.connectionString, emit, logger);
  onDestroy(db, () => feed.close());
  return {
    get live() {
      return feed.live();
    },
    subscribe(listener) {
      // Each subscription is its own, even for the same function, so that removing one leaves the others.
      const own: ChangeListener = (table) => listener(table);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
    close: () => feed.close(),
  };
}

type Emit = (table: string | undefined) => void;

interface Feed {
  live(): boolean;
  close(): Promise<void>;
}

function embeddedFeed(pglite: PGlite, emit: Emit, logger: Logger): Feed {
  // PGlite runs every statement of every "connection" in this process, and hands a notification to its
  // listeners before the statement that committed it returns: nothing can be missed.
  let live = false;
  let closed = false;
  const unlisten = pglite
    .listen(CHANGES_CHANNEL, (payload) => emit(payload))
    .then(
      (stop) => {
        live = !closed;
        return stop;
      },
      (err: unknown) => {
        logger.warn(
          { err },
          'change feed: cannot LISTEN on the embedded database; page versions are not remembered',
        );
        return undefined;
      },
    );
  return {
    live: () => live,
    async close() {
      closed = true;
      live = false;
      const stop = await unlisten;
      await stop?.().catch(() => {});
    },
  };
}

function serverFeed(connectionString: string, emit: Emit, logger: Logger): Feed {
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let retryMs = RETRY_FIRST_MS;
  let retry: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  let failures = 0;

  const drop = (from: pg.Client, err?: unknown) => {
    if (from !== client) return;
    client = undefined;
    live = false;
    clearInterval(ping);
    emit(undefined);
    from.removeAllListeners('notification');
    from.on('error', () => {});
    from.end().catch(() => {});
    if (closed) return;
    if (failures++ === 0) {
      logger.warn(
        { err },
        'change feed: lost the LISTEN connection; reconnecting (page versions are not remembered meanwhile)',
      );
    }
    retry = setTimeout(connect, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({
      connectionString,
      application_name: 'kawal-janji-listen',
      keepAlive: true,
      connectionTimeoutMillis: 3_000,
    });
    client = next;
    next.on('error', (err) => drop(next, err));
    next.on('end', () => drop(next));
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) emit(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      drop(next, err);
      return;
    }
    if (client !== next) return;
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    // Anything committed while we were not listening is unknown: start again from nothing remembered.
    emit(undefined);
    live = true;
    if (failures > 0) logger.info('change feed: listening for changes again');
    failures = 0;
    retryMs = RETRY_FIRST_MS;
    // A network that goes silent can leave the socket looking open: check it, and reconnect if it is not.
    ping = setInterval(() => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('LISTEN connection check timed out')), PING_TIMEOUT_MS);
      });
      Promise.race([next.query('SELECT 1'), timeout])
        .catch((err: unknown) => drop(next, err))
        .finally(() => clearTimeout(timer));
    }, PING_EVERY_MS);
    ping.unref();
  };

  void connect();
  return {
    live: () => live,
    async close() {
      closed = true;
      live = false;
      clearTimeout(retry);
      clearInterval(ping);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
