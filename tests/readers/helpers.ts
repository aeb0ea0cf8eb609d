import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db';
import { outboxWorker } from '../../src/features/following/outbox.worker';
import { readerKeys } from '../../src/features/following/reader-keys';
import { mailTransport } from '../../src/features/mail/mail.transport';
import { createLogger } from '../../src/lib/logger';
import { csrfFrom, formBody } from '../helpers/newsroom';
import type { Received } from './smtp';

/** The app's own outbox worker, sending to `smtpUrl`, driven by the test (drain) rather than its loop. */
export function testWorker(
  db: Db,
  config: Config,
  smtpUrl: string,
  options: Partial<Parameters<typeof outboxWorker>[0]> = {},
) {
  return outboxWorker({
    db,
    transport: mailTransport({
      smtpUrl,
      from: config.mailFrom,
      dataDir: config.dataDir,
      logger: createLogger({ level: 'silent' }),
    }),
    keys: readerKeys(config.sessionSecret),
    baseUrl: config.baseUrl,
    siteName: config.newsroomName,
    logger: createLogger({ level: 'silent' }),
    embedded: false,
    leaseSeconds: 60,
    tipRetentionDays: config.readerRetentionDays,
    retrySeconds: 1,
    ...options,
  });
}

/** A reader's follow form, sent as a browser on our own site sends it. */
export function follow(app: Express, fields: Record<string, string>, ip = '203.0.113.7') {
  return request(app)
    .post('/follow')
    .set('Sec-Fetch-Site', 'same-origin')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send(formBody(fields));
}

/** The path of the link in a message's text that starts with `prefix` (e.g. '/follow/confirm/'). */
export function linkIn(message: Received, prefix: string): string {
  const match = new RegExp(`https://kawal\\.test(${prefix}[A-Za-z0-9_-]{43})`).exec(message.text);
  expect(match, `no ${prefix} link in:\n${message.text}`).toBeTruthy();
  return match![1]!;
}

/** Confirms a follow the way a reader does: the link's page, then its button. */
export async function confirmFrom(app: Express, message: Received): Promise<void> {
  const path = linkIn(message, '/follow/confirm/');
  await request(app).get(path).expect(200);
  await request(app).post(path).type('form').send('').expect(200);
}

/** A reader at the tip form: its page (cookie and token) fetched once, then posts as a browser does. */
export async function tipForm(app: Express, query = '') {
  const agent = request.agent(app);
  const page = await agent.get(`/tips${query}`).expect(200);
  const csrf = csrfFrom(page.text);
  return {
    page,
    send: (fields: Record<string, string>, ip = '198.51.100.9') =>
      agent
        .post('/tips')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send(formBody({ _csrf: csrf, ...fields })),
  };
}
