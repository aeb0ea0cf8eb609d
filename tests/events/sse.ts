import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface SseFrame {
  id: string | undefined;
  event: string;
  data: string;
  comment: boolean;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every frame received so far, comments included. */
  frames: SseFrame[];
  /** Everything received, as text. */
  raw: string;
  /** Resolves with the first frame (from the start) that matches, waiting for it if need be. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A server on a free port for the app, closed with `stop`. */
export async function serve(app: Express): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens a stream and parses it as EventSource would (fields id, event, data; comments kept apart). */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      res.setEncoding('utf8');
      const waiting: { match: (f: SseFrame) => boolean; resolve: (f: SseFrame) => void }[] = [];
      let buffer = '';
      let endedResolve: () => void = () => {};
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames: [],
        raw: '',
        next(match, timeoutMs = 10_000) {
          const found = stream.frames.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no matching frame in ${timeoutMs} ms: ${stream.raw}`)),
              timeoutMs,
            );
            waiting.push({
              match,
              resolve: (f) => {
                clearTimeout(timer);
                done(f);
              },
            });
          });
        },
        ended: new Promise<void>((r) => {
          endedResolve = r;
        }),
        close: () => req.destroy(),
      };
      res.on('data', (chunk: string) => {
        stream.raw += chunk;
        buffer += chunk;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = { id: undefined, event: 'message', data: '', comment: false };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = true;
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          frame.data = data.join('\n');
          stream.frames.push(frame);
          for (const w of [...waiting]) {
            if (w.match(frame)) {
              waiting.splice(waiting.indexOf(w), 1);
              w.resolve(frame);
            }
          }
          cut = buffer.indexOf('\n\n');
        }
      });
      res.on('end', () => endedResolve());
      res.on('close', () => endedResolve());
      resolve(stream);
    });
    req.on('error', reject);
  });
}
