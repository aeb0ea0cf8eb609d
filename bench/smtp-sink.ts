/**
 * The SMTP server of the readers' benchmark (`--only readers`), run by bench/readers.ts in a process of
 * its own so that it takes no turns from the load generator: a real server (npm smtp-server, as
 * tests/readers/smtp.ts starts one) on 127.0.0.1, no TLS or authentication, that accepts everything and
 * counts what it accepted per recipient (the envelope's RCPT TO) and per Message-ID, with the time of
 * the first and the last acceptance. It answers `{ type: 'stats' }` over IPC.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SinkStats {
  accepted: number;
  recipients: number;
  /** Recipients that were accepted more than once, and how many messages beyond the first. */
  duplicateRecipients: number;
  duplicateMessages: number;
  /** Message-IDs seen more than once (a repeat carries the same one). */
  repeatedMessageIds: number;
  /** Date.now() of the first and the last acceptance. */
  firstAt: number | undefined;
  lastAt: number | undefined;
  /** SMTP connections opened by the sender. */
  connections: number;
}

const perRecipient = new Map<string, number>();
const messageIds = new Set<string>();
let accepted = 0;
let repeatedMessageIds = 0;
let firstAt: number | undefined;
let lastAt: number | undefined;
let connections = 0;

function stats(): SinkStats {
  let duplicateRecipients = 0;
  let duplicateMessages = 0;
  for (const count of perRecipient.values()) {
    if (count > 1) {
      duplicateRecipients += 1;
      duplicateMessages += count - 1;
    }
  }
  return {
    accepted,
    recipients: perRecipient.size,
    duplicateRecipients,
    duplicateMessages,
    repeatedMessageIds,
    firstAt,
    lastAt,
    connections,
  };
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  closeTimeout: 200,
  // Far above the worker's pool: the sender, not the sink, decides how many connections there are.
  maxClients: 1000,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, session, callback) {
    // Only the headers are looked at: the Message-ID, for repeats.
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 8192 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const now = Date.now();
      accepted += 1;
      firstAt ??= now;
      lastAt = now;
      for (const rcpt of session.envelope.rcptTo) {
        const address = rcpt.address.toLowerCase();
        perRecipient.set(address, (perRecipient.get(address) ?? 0) + 1);
      }
      const id = /^message-id:\s*(\S+)/im.exec(head.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' '))?.[1];
      if (id) {
        if (messageIds.has(id)) repeatedMessageIds += 1;
        messageIds.add(id);
      }
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as AddressInfo;
  process.send?.({ type: 'listening', port });
});

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', stats: stats() });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
