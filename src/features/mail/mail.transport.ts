import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../../lib/logger';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra header lines (List-Unsubscribe and friends). */
  headers: Record<string, string>;
  /** Derived from the outbox's idempotency key, so a message sent again carries the same Message-ID. */
  messageId: string;
  lang: string;
}

export interface MailTransport {
  /** Resolves once the SMTP server has accepted the message (or the .eml file is written). */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/**
 * nodemailer over SMTP when SMTP_URL is set (a pool of a few connections, with timeouts so that a server
 * that stops answering fails the send instead of holding the worker); otherwise each message is written
 * to DATA_DIR/outbox/ as an .eml file and logged, so that everything works on a laptop.
 */
export function mailTransport(options: {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
  logger: Logger;
}): MailTransport {
  const { from, logger } = options;
  if (options.smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 4,
      maxMessages: 1000,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return {
      async send(message) {
        await transporter.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          headers: { ...message.headers, 'Content-Language': message.lang },
          messageId: message.messageId,
        });
      },
      close: () => transporter.close(),
    };
  }
  const outbox = path.join(options.dataDir, 'outbox');
  const writer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await writer.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { ...message.headers, 'Content-Language': message.lang },
        messageId: message.messageId,
      });
      await fs.mkdir(outbox, { recursive: true });
      // The Message-ID names the file: writing one message twice leaves one file.
      const name = `${message.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`;
      const file = path.join(outbox, name);
      await fs.writeFile(file, info.message as Buffer);
      logger.info({ to: message.to, subject: message.subject, file }, 'email written to the outbox folder');
    },
    close() {},
  };
}
