import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * V8's heap sizing for the server, as docker-compose.yml deploys it (a test keeps the two equal): a young
 * generation of 2 MB semi-spaces and an explicit old-space limit. Measured on this machine under the
 * benchmark's routes: a peak RSS of about 155 MB instead of about 230, at the same throughput.
 */
export const SERVER_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=256';

/**
 * How the app is run: `compiled` as `npm start` runs it (node on dist/server.js, built first by
 * buildIfStale), or `tsx` on the TypeScript sources, as `npm run dev` does without the watcher.
 */
export type Runner = 'compiled' | 'tsx';

/** The app under test, in production mode, in a process of its own. */
export interface BenchServer {
  origin: string;
  runner: Runner;
  /** The process running the app (tsx starts it as a child of its own). */
  pid: number;
  /** From spawning the process to the first 200 from /readyz, in milliseconds. */
  readyMs: number;
  logFile: string;
  /** Resident set size now and at its peak (VmRSS and VmHWM of /proc/<pid>/status), in MiB. */
  memory(): { rssMb: number; peakRssMb: number } | undefined;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Builds dist/ when it is missing or was built from other sources, as `npm start` does first. */
export function buildIfStale(): void {
  const built = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/build.mjs'), '--if-stale'], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) throw new Error('the build failed (node scripts/build.mjs)');
}

/** The node process that runs the app: the deepest one under the launcher (tsx runs a child). */
function appProcess(launcher: number): number {
  let pid = launcher;
  for (let children = childrenOf(pid); children.length > 0; children = childrenOf(pid)) pid = children[0]!;
  return pid;
}

function readMemory(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts the app on a free port against `databaseUrl` and waits until /readyz answers 200. */
export async function startServer(options: {
  databaseUrl: string;
  logFile: string;
  staticCeiling?: boolean;
  /** The in-process page cache (default on, as in production); off for the "page cache off" routes. */
  pageCache?: boolean;
  /** Default: compiled, as production runs it. */
  runner?: Runner;
  /** More settings for this server, over the defaults (live: EVENT_STREAMS_PER_IP; readers: SMTP_URL). */
  env?: Record<string, string>;
}): Promise<BenchServer> {
  const runner = options.runner ?? 'compiled';
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    BASE_URL: origin,
    BENCH_STATIC_CEILING: options.staticCeiling === false ? '0' : '1',
    PAGE_CACHE: options.pageCache === false ? 'off' : 'on',
    WEB_CONCURRENCY: '1',
    NODE_OPTIONS: SERVER_NODE_OPTIONS,
    ...options.env,
  };
  // Public reads go to the benchmark database, never to a replica configured for something else.
  delete env.DATABASE_READ_URL;
  const [command, args] =
    runner === 'tsx'
      ? [path.join(projectRoot, 'node_modules/.bin/tsx'), ['src/server.ts']]
      : [process.execPath, ['--enable-source-maps', 'dist/server.js']];
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd: projectRoot, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const launcher = child.pid;
  if (launcher === undefined) throw new Error('could not start the server');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before it was ready; its log is ${options.logFile}`);
    }
    try {
      const response = await fetch(`${origin}/readyz`);
      if (response.status === 200) {
        await response.arrayBuffer();
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within 180 s; its log is ${options.logFile}`);
    }
    // Often enough that the start-up time is measured to within a few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readyMs = performance.now() - spawnedAt;
  const pid = appProcess(launcher);
  return { origin, runner, pid, readyMs, logFile: options.logFile, memory: () => readMemory(pid), stop };
}
