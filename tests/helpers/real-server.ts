import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { compiled } from './compiled';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface RealServer {
  child: ChildProcess;
  port: number;
  exited: Promise<Exit>;
  /** Resolves when the server (any of its processes) has logged this message `times` times in all. */
  logged: (msg: string, times?: number) => Promise<void>;
  /** How many times the server (all its processes) has logged this message so far. */
  times: (msg: string) => number;
  /** Its standard error so far. */
  stderr: () => string;
}

/**
 * The real server, compiled, as `npm start` runs it (node dist/server.js), on a port the system picks
 * (PORT=0), read back from its start-up log. With WEB_CONCURRENCY above 1 it resolves once every worker
 * is listening. Logs at info level as JSON lines, which `logged` waits on.
 */
export async function startRealServer(env: NodeJS.ProcessEnv): Promise<RealServer> {
  // Vitest puts Vite's BASE_URL ('/') into the environment; the server must not read it as ours.
  const { BASE_URL: _base, ...inherited } = process.env;
  const server = compiled('server');
  const child = spawn(server.command, server.args, {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const counts = new Map<string, number>();
  const watchers: { msg: string; times: number; resolve: () => void }[] = [];
  let stderr = '';
  let buffered = '';
  let port = 0;
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      let entry: { msg?: unknown; port?: unknown };
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // not a log line
      }
      const msg = String(entry.msg);
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
      if (msg === 'Kawal Janji is listening') port = Number(entry.port);
      for (const watcher of watchers)
        if (watcher.msg === msg && counts.get(msg)! >= watcher.times) watcher.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const logged = (msg: string, times = 1) =>
    (counts.get(msg) ?? 0) >= times
      ? Promise.resolve()
      : new Promise<void>((resolve) => watchers.push({ msg, times, resolve }));

  const workers = Number(env.WEB_CONCURRENCY ?? 1);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start within 150 s:\n${stderr}`)),
      150_000,
    );
    void exited.then((exit) =>
      reject(new Error(`server exited (${exit.code}) before listening:\n${stderr}`)),
    );
    void logged('Kawal Janji is listening', workers).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { child, port, exited, logged, times: (msg) => counts.get(msg) ?? 0, stderr: () => stderr };
}

/** What became of one request sent on a connection of its own. */
export type Outcome = { status: number; connection: string | undefined } | { error: string };

/**
 * Opens `count` connections at once and sends one GET on each as soon as it is connected. Resolves when
 * every connection is established (the TCP handshake done: the connection is made) with a promise per
 * request of what came back before the connection closed.
 */
export async function connectAndSend(port: number, count: number, target: string) {
  const opened: Promise<void>[] = [];
  const outcomes: Promise<Outcome>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    opened.push(
      new Promise((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      }),
    );
    socket.once('connect', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: kawal.test\r\nAccept-Language: id\r\n\r\n`);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    outcomes.push(
      new Promise((resolve) => {
        let error: string | undefined;
        socket.on('error', (err: NodeJS.ErrnoException) => {
          error = err.code ?? err.message;
        });
        socket.on('close', () => {
          const head = received.slice(0, received.indexOf('\r\n\r\n'));
          const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
          if (!status) {
            resolve({ error: error ?? 'closed without an answer' });
            return;
          }
          const connection = /\r\nconnection: *([^\r]*)/i.exec(head)?.[1]?.toLowerCase();
          resolve({ status: Number(status), connection });
        });
      }),
    );
  }
  await Promise.all(opened);
  return { outcomes: Promise.all(outcomes) };
}

/** Connecting is refused (within a second of the call). */
export async function expectRefused(port: number): Promise<void> {
  const deadline = performance.now() + 1_000;
  for (;;) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('accepted');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    if (outcome === 'ECONNREFUSED') return;
    if (performance.now() > deadline) throw new Error(`a new connection was ${outcome}, not refused`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
