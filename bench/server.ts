import { type ChildProcess, spawn } from 'node:child_process';
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

/** The app under test: `tsx src/server.ts` in production mode, in a process of its own. */
export interface BenchServer {
  origin: string;
  /** The process running the app (tsx starts it as a child of its own). */
  pid: number;
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

/** The node process that runs src/server.ts: the deepest one under the tsx launcher. */
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
}): Promise<BenchServer> {
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
  };
  // Public reads go to the benchmark database, never to a replica configured for something else.
  delete env.DATABASE_READ_URL;
  const child = spawn(path.join(projectRoot, 'node_modules/.bin/tsx'), ['src/server.ts'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', log, log],
  });
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

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before it was ready; its log is ${options.logFile}`);
    }
    try {
      const response = await fetch(`${origin}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within 60 s; its log is ${options.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const pid = appProcess(launcher);
  return { origin, pid, logFile: options.logFile, memory: () => readMemory(pid), stop };
}
