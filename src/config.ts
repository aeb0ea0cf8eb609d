import path from 'node:path';
import { z } from 'zod';

// Empty strings in the environment mean "not set", the way shells and compose files write them.
const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

// On/off switches: 1, true, yes or on turn them on; unset, empty, 0, false, no or off leave them off.
const flag = z
  .string()
  .optional()
  .transform((value) => value?.trim().toLowerCase() ?? '')
  .pipe(z.enum(['', '0', 'false', 'no', 'off', '1', 'true', 'yes', 'on']))
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: optional,
    DATABASE_READ_URL: optional,
    DATA_DIR: optional,
    BASE_URL: optional,
    SESSION_SECRET: optional,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    NEWSROOM_NAME: optional,
    BENCH_STATIC_CEILING: flag,
    // Unset: on, except under NODE_ENV=test (tests that write rows directly read pages right after).
    PAGE_CACHE: z
      .string()
      .optional()
      .transform((value) => value?.trim().toLowerCase() ?? '')
      .pipe(z.enum(['', '0', 'false', 'no', 'off', '1', 'true', 'yes', 'on'])),
    PAGE_CACHE_MB: z.coerce.number().min(0).max(4096).default(16),
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    SMTP_URL: optional,
    MAIL_FROM: optional,
    MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    READER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
    EVENT_STREAMS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(8),
    EVENT_STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'SESSION_SECRET is required in production and must be at least 32 characters long',
      });
    }
    if (env.WEB_CONCURRENCY > 1 && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEB_CONCURRENCY'],
        message:
          'WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) lives inside one process and cannot be shared by several',
      });
    }
    if (env.SMTP_URL !== undefined && !/^smtps?:\/\//i.test(env.SMTP_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'SMTP_URL must start with smtp:// or smtps://',
      });
    }
    if (env.MAIL_FROM !== undefined && !/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(env.MAIL_FROM)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_FROM'],
        message: 'MAIL_FROM must be an address, such as "Kawal Janji <kabar@example.org>"',
      });
    }
    for (const key of ['DATABASE_URL', 'DATABASE_READ_URL', 'BASE_URL', 'SMTP_URL'] as const) {
      const value = env[key];
      if (value !== undefined && !URL.canParse(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a URL` });
      }
    }
  });

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  /** PostgreSQL server; undefined means the embedded engine (PGlite) in dataDir. */
  readonly databaseUrl: string | undefined;
  /** Optional read replica for public pages. */
  readonly databaseReadUrl: string | undefined;
  readonly dataDir: string;
  /** Canonical origin without a trailing slash, for links, feeds and JSON-LD. */
  readonly baseUrl: string;
  readonly sessionSecret: string;
  readonly logLevel: string;
  readonly newsroomName: string;
  /** Serves the benchmark's static ceiling route, GET /__bench/static/:slug (bench/, docs/PERFORMANCE.md). */
  readonly benchStaticCeiling: boolean;
  /** Keeps rendered public pages in memory for anonymous readers (src/http/page-cache.ts). */
  readonly pageCache: boolean;
  /** The most the page cache may hold, in bytes of HTML. */
  readonly pageCacheBytes: number;
  /** Worker processes serving requests (Node cluster); 1 is a single process. PostgreSQL only when more. */
  readonly webConcurrency: number;
  /** Where email goes (smtp:// or smtps://); undefined writes each message to DATA_DIR/outbox as .eml. */
  readonly smtpUrl: string | undefined;
  /** The From of every message to readers. */
  readonly mailFrom: string;
  /** How long a worker holds a batch of messages before another may take over what it has not sent. */
  readonly mailLeaseSeconds: number;
  /** Days that tips (with their email and IP hash) are kept (docs/READERS.md). */
  readonly readerRetentionDays: number;
  /**
   * After SIGTERM, how long the server keeps serving (readiness already 503) before it stops listening,
   * so that a load balancer has noticed and sends nothing more to a closed port.
   */
  readonly shutdownDelayMs: number;
  /** Open live-event streams one IP address may hold at once; one more answers 429. */
  readonly eventStreamsPerIp: number;
  /** How often an idle live-event stream sends a comment, so that proxies keep it open. */
  readonly eventStreamHeartbeatMs: number;
}

export class ConfigError extends Error {}

function hostOf(baseUrl: string | undefined): string {
  return baseUrl && URL.canParse(baseUrl) ? new URL(baseUrl).hostname : 'localhost';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const config: Config = {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    dataDir: path.resolve(e.DATA_DIR ?? 'data'),
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    // Outside production a fixed development secret keeps `npm start` a one-step affair.
    sessionSecret: e.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    newsroomName: e.NEWSROOM_NAME ?? 'Kawal Janji',
    benchStaticCeiling: e.BENCH_STATIC_CEILING,
    pageCache:
      e.PAGE_CACHE === '' ? e.NODE_ENV !== 'test' : ['1', 'true', 'yes', 'on'].includes(e.PAGE_CACHE),
    pageCacheBytes: Math.round(e.PAGE_CACHE_MB * 1024 * 1024),
    webConcurrency: e.WEB_CONCURRENCY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `${e.NEWSROOM_NAME ?? 'Kawal Janji'} <noreply@${hostOf(e.BASE_URL)}>`,
    mailLeaseSeconds: e.MAIL_LEASE_SECONDS,
    readerRetentionDays: e.READER_RETENTION_DAYS,
    // Nothing sits in front of a development server to notice; in production a few health checks do.
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS ?? (e.NODE_ENV === 'production' ? 5_000 : 0),
    eventStreamsPerIp: e.EVENT_STREAMS_PER_IP,
    eventStreamHeartbeatMs: e.EVENT_STREAM_HEARTBEAT_MS,
  };
  return Object.freeze(config);
}

/** The log message of the plain-HTTP warning at start (tests wait for it). */
export const PLAIN_HTTP_WARNING =
  'BASE_URL is http: under NODE_ENV=production: signing in needs HTTPS (or a proxy sending X-Forwarded-Proto: https)';

/**
 * What the server warns about once at start: settings that start fine and then fail a person later. In
 * production the session and sign-in cookies are Secure, which a browser never sends back over plain
 * HTTP, so with an http: BASE_URL signing in seems to succeed and lands back on /login.
 */
export function startupWarnings(config: Config): { msg: string; detail: Record<string, string> }[] {
  if (!config.isProduction || !config.baseUrl.startsWith('http:')) return [];
  return [
    {
      msg: PLAIN_HTTP_WARNING,
      detail: {
        baseUrl: config.baseUrl,
        why: 'session cookies are Secure in production; browsers do not send them back over plain HTTP',
      },
    },
  ];
}
