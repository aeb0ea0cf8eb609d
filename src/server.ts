import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { buildApp } from './app';
import { type Config, ConfigError, loadConfig, startupWarnings } from './config';
import { createDb, type Db, migrateLatest } from './db';
import type { Lifecycle } from './features/health/health.routes';
import { warmUpShareImages } from './features/sharing/share-image';
import { createLogger } from './lib/logger';
import { loadSeedIfEmpty } from './lib/seed-runner';

/** How long in-flight requests get to finish once the server stops listening before it exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
/** The longest the server waits for its own probe connection (acceptQueued) before it stops listening. */
const PROBE_MS = 5_000;
/** At the drain, how long a connection that has sent nothing yet may still start its request. */
const UNUSED_GRACE_MS = 250;
/** After the grace period, how long closing the database may take before exiting regardless (so 11 s in all). */
const DATABASE_CLOSE_MS = 1_000;

/**
 * Knows what each open connection is doing, so that shutdown can close every connection with nothing
 * under way at once. Node's own closeIdleConnections() leaves alone a connection that has not sent its
 * first request yet (browsers and proxies open those ahead of time), and such a connection would hold the
 * process until the grace period ran out. A connection whose next request has begun to arrive is left
 * to finish it.
 */
function trackConnections(server: http.Server) {
  interface State {
    open: Set<http.ServerResponse>;
    /** socket.bytesRead when the last response ended: more than that means a request is arriving. */
    quietAt: number;
  }
  const connections = new Map<Socket, State>();
  /** From the signal on, every response says Connection: close, so that clients open a new connection. */
  let closing = false;
  /** Once the server has stopped listening: connections close as soon as nothing is under way on them. */
  let draining = false;

  const isQuiet = (socket: Socket, state: State) =>
    state.open.size === 0 && socket.bytesRead === state.quietAt;
  // end() rather than destroy() while the last response is still being written out to a slow reader.
  const close = (socket: Socket) => (socket.writableLength > 0 ? socket.end() : socket.destroy());

  server.on('connection', (socket: Socket) => {
    connections.set(socket, { open: new Set(), quietAt: socket.bytesRead });
    socket.once('close', () => connections.delete(socket));
  });
  // Before the app sees the request, so that the header is set even on responses sent synchronously.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    const state = connections.get(req.socket);
    if (!state) return;
    state.open.add(res);
    res.once('close', () => {
      state.open.delete(res);
      state.quietAt = req.socket.bytesRead;
      // A response that had already sent its headers before the drain began still said keep-alive.
      if (draining && isQuiet(req.socket, state)) {
        setImmediate(() => isQuiet(req.socket, state) && close(req.socket));
      }
    });
  });

  return {
    /** From now on every response closes its connection (keep-alive clients reconnect, maybe elsewhere). */
    close() {
      closing = true;
      for (const state of connections.values()) {
        for (const res of state.open) if (!res.headersSent) res.setHeader('Connection', 'close');
      }
    },
    /**
     * Also closes, now and from now on, every connection with nothing under way. One that has sent
     * nothing at all is given a moment first: it may have just been accepted from the queue, its request
     * already on its way (or in the kernel's buffer, not yet read), and closing it then would reset it.
     */
    drain() {
      closing = true;
      draining = true;
      for (const [socket, state] of connections) {
        for (const res of state.open) if (!res.headersSent) res.setHeader('Connection', 'close');
        if (!isQuiet(socket, state)) continue;
        if (socket.bytesRead > 0) close(socket);
        else setTimeout(() => isQuiet(socket, state) && close(socket), UNUSED_GRACE_MS).unref();
      }
    },
  };
}

/** Where a listening server can be reached from this machine: its own address, or loopback for "any". */
function reachable(address: AddressInfo): { host: string; port: number } {
  const anyAddress = address.address === '::' || address.address === '0.0.0.0';
  const host = anyAddress ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : address.address;
  return { host, port: address.port };
}

/**
 * Resolves once every connection the kernel had completed for this port when it was called has been
 * accepted, so that closing the listening socket next resets none of them. Closing it at once would:
 * connections wait in the socket's accept queue until the event loop next takes them, and a signal
 * handled in the same turn comes first. The queue is first in, first out, so the server connects to
 * itself and waits for the answer to a request on that connection: everything queued before it has been
 * taken by then. Gives up after `timeoutMs` (a busy or unreachable server), and stopping goes on regardless.
 */
function acceptQueued(target: { host: string; port: number }, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const probe = net.connect(target);
    const done = () => {
      clearTimeout(timer);
      probe.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    probe.once('connect', () => {
      probe.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    probe.once('data', done);
    probe.once('error', done);
    probe.once('close', done);
  });
}

/** Messages between a cluster worker and the primary about the connections queued at shutdown. */
const ASK_QUEUED = 'kawal-janji:accept-queued';
const QUEUED_HANDED_OUT = 'kawal-janji:queued-handed-out';

/**
 * In a cluster worker: resolves once the primary has handed out every connection it had queued when
 * asked. The primary accepts the connections and passes them to the workers one by one; a worker that
 * stops listening refuses what is passed to it next, which the primary then queues again behind the rest,
 * and closes when the last worker has stopped. So no worker stops before the primary's own probe (see
 * acceptQueued) has come back; the primary's answer travels on the same channel as the connections it
 * passed to this worker, so those have all arrived here before it.
 */
function primaryHandedOutQueued(address: AddressInfo, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    const onMessage = (message: unknown) => {
      if ((message as { type?: unknown } | null)?.type === QUEUED_HANDED_OUT) done();
    };
    const timer = setTimeout(done, timeoutMs);
    process.on('message', onMessage);
    if (!process.send?.({ type: ASK_QUEUED, target: reachable(address) })) done();
  });
}

/**
 * WEB_CONCURRENCY above 1: this process only starts and watches the workers, which serve the requests
 * on one shared port (Node's cluster module); it never touches the database. The first worker runs the
 * migrations and the seed; the others start once it is listening. A worker that dies is replaced (after
 * a pause, so a crash at start-up does not spin); SIGTERM/SIGINT is passed on to every worker, each of
 * which finishes its requests as a single process would, and the primary exits when the last has.
 */
function runPrimary(config: Config): void {
  const logger = createLogger({ level: config.logLevel });
  const wanted = config.webConcurrency;
  let stopping = false;
  let started = false;
  const startWorker = (): Worker => cluster.fork();

  logger.info({ workers: wanted }, 'starting workers (WEB_CONCURRENCY)');
  const first = startWorker();
  first.once('listening', () => {
    started = true;
    for (let i = 1; i < wanted; i++) startWorker();
  });

  // Once shutdown has begun the queue is probed once, and every worker that asks gets the same answer.
  let queuedHandedOut: Promise<void> | undefined;
  cluster.on('message', (worker, message: { type?: unknown; target?: { host: string; port: number } }) => {
    if (message?.type !== ASK_QUEUED || !message.target) return;
    if (stopping) queuedHandedOut ??= acceptQueued(message.target, PROBE_MS);
    const probed = stopping ? queuedHandedOut : acceptQueued(message.target, PROBE_MS);
    void probed?.then(() => {
      if (worker.isConnected()) worker.send({ type: QUEUED_HANDED_OUT }, () => {});
    });
  });

  cluster.on('exit', (worker, code, signal) => {
    const left = Object.keys(cluster.workers ?? {}).length;
    if (stopping) {
      if (left === 0) {
        logger.info('stopped');
        process.exit(0);
      }
      return;
    }
    if (!started) {
      // The first worker could not start (configuration, database): so would the others.
      logger.error({ pid: worker.process.pid, code, signal }, 'the first worker failed to start');
      process.exit(code || 1);
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'a worker exited; starting another in 1 s');
    setTimeout(() => !stopping && startWorker(), 1_000).unref();
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: stopping every worker');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    // Each worker exits within its own delay and grace period; this is only a backstop.
    const bound = config.shutdownDelayMs + PROBE_MS + SHUTDOWN_GRACE_MS + DATABASE_CLOSE_MS + 2_000;
    setTimeout(() => process.exit(1), bound).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Waits until no query holds or waits for a pooled connection, or until `deadline`. */
async function poolIdle(db: Db, deadline: number): Promise<void> {
  // knex's pool (tarn) is not part of knex's typed API; without it there is nothing to wait for.
  const pool = (db.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  while (pool && pool.numUsed() + pool.numPendingAcquires() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
  // Said once, by the process that starts first (the primary of a cluster, or the only process).
  if (cluster.isPrimary) {
    const logger = createLogger({ level: config.logLevel });
    for (const warning of startupWarnings(config)) logger.warn(warning.detail, warning.msg);
  }
  if (config.webConcurrency > 1 && cluster.isPrimary) {
    runPrimary(config);
    return;
  }
  const logger = createLogger({ level: config.logLevel });
  // With several workers, each has a pool of its own: together they stay near one process's default.
  const poolMax =
    config.webConcurrency > 1 ? Math.max(2, Math.ceil(10 / config.webConcurrency) + 1) : undefined;
  const db = createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
    ...(poolMax ? { poolMax } : {}),
  });
  const engine = config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`;

  await migrateLatest(db);
  const seeded = await loadSeedIfEmpty(db);
  logger.info({ engine, seeded }, 'database ready');

  const lifecycle: Lifecycle = { accepting: true };
  const app = buildApp({ config, db, logger, lifecycle, mailWorker: true });
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  const connections = trackConnections(server);
  await warmUpShareImages().catch((err: unknown) => logger.warn({ err }, 'share images: warm-up failed'));
  server.listen(config.port, () => {
    // The port actually bound: with PORT=0 the system picks one, and whoever started us needs to know it.
    const { port } = server.address() as AddressInfo;
    logger.info({ port, baseUrl: config.baseUrl }, 'Kawal Janji is listening');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    // A worker may hear a signal twice: from the primary, and with the whole process group (Ctrl+C).
    if (stopping) return;
    stopping = true;
    // Readiness answers 503 from now on; requests are still served, each closing its connection.
    lifecycle.accepting = false;
    connections.close();
    if (config.shutdownDelayMs > 0) {
      logger.info(
        { signal, delayMs: config.shutdownDelayMs },
        'shutting down: not ready, still serving while load balancers notice (SHUTDOWN_DELAY_MS)',
      );
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    }
    const address = server.address();
    if (address && typeof address !== 'string') {
      await (cluster.isWorker
        ? primaryHandedOutQueued(address, PROBE_MS)
        : acceptQueued(reachable(address), PROBE_MS));
    }
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('requests still open after the grace period; exiting anyway');
      // Still close the database when it lets go at once, so that the embedded engine's files are left clean.
      const giveUp = new Promise((resolve) => setTimeout(resolve, DATABASE_CLOSE_MS));
      void Promise.race([db.destroy().catch(() => {}), giveUp]).finally(() => process.exit(1));
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stop accepting connections, close the quiet ones, let requests under way finish (each on a
    // connection that then closes), and close the database pool once the last connection is gone and
    // the pool is idle: a request whose reader hung up may still be running its queries, and closing
    // the pool under it would only fail it with a logged error (still within the grace period).
    const graceEnds = Date.now() + SHUTDOWN_GRACE_MS;
    server.close(async () => {
      try {
        await poolIdle(db, graceEnds);
        await db.destroy();
      } catch (err) {
        logger.error({ err }, 'closing the database failed');
        process.exit(1);
      }
      logger.info('stopped');
      process.exit(0);
    });
    connections.drain();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(
    `Kawal Janji failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
