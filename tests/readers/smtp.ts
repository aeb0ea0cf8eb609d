import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: ParsedMail['headers'];
  /** A header's raw text, as the mail client sees it. */
  header(name: string): string | undefined;
}

export interface TestSmtp {
  port: number;
  url: string;
  /** Messages the server accepted (answered 250 to), in order. */
  received: Received[];
  /** While true, every message is refused with a temporary error (421). */
  refuse: boolean;
  /** Called with each message before it is accepted; may wait (to hold a send in flight). */
  beforeAccept?: (count: number) => Promise<'accept' | 'drop'>;
  /** Waits until `count` messages have been accepted (or throws after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (npm smtp-server), no TLS or authentication, that keeps what it
 * accepts. Stopping it (close) and starting another on the same port stands in for an SMTP outage.
 */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    refuse: false,
    waitFor: async () => [],
    close: async () => {},
  };
  let arrived = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        if (state.refuse) {
          callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
          return;
        }
        arrived += 1;
        const decision = state.beforeAccept ? await state.beforeAccept(arrived) : 'accept';
        if (decision === 'drop') return; // never answered: the sender died waiting
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        const rawHeaders = raw
          .toString('utf8')
          .split(/\r?\n\r?\n/)[0]!
          .replace(/\r?\n[ \t]+/g, ' ');
        state.received.push({
          to: (Array.isArray(parsed.to) ? parsed.to[0] : parsed.to)?.value[0]?.address ?? '',
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          messageId: parsed.messageId ?? '',
          headers: parsed.headers,
          header(name) {
            const line = rawHeaders
              .split(/\r?\n/)
              .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
            return line?.slice(name.length + 1).trim();
          },
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.waitFor = async (count, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    while (state.received.length < count) {
      if (Date.now() > until) {
        throw new Error(`only ${state.received.length} of ${count} messages arrived within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return state.received;
  };
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
