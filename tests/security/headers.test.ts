import path from 'node:path';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { createLogger } from '../../src/lib/logger';
import { testConfig, useTestApp } from '../helpers/app';
import { createTestDatabase } from '../helpers/database';
import { createClaim } from '../helpers/factories';

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'rahasia-produksi-uji-yang-cukup-panjang-sekali',
};
const ROOT = path.resolve(import.meta.dirname, '../..');

/** What no error page may show a reader in production: stack frames, source paths, SQL, driver text. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat .*[(\s][^\s()]+:\d+:\d+\)?/],
  ['a source file', /\.(ts|js|ejs):\d+/],
  ['node_modules', /node_modules/],
  ['the app folder', new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
  ['SQL', /\b(select|insert|update|delete)\b[^<]*\b(from|into|set)\b/i],
  ['a PostgreSQL message', /relation "|does not exist|syntax error at|violates/i],
  ['a driver name', /\bknex\b|\bpg-protocol\b|\bPGlite\b/i],
];

function expectNoLeaks(res: Response) {
  const body = res.text ?? JSON.stringify(res.body);
  for (const [what, pattern] of LEAKS) expect(body, `shows ${what}`).not.toMatch(pattern);
}

/** The headers every response carries (the badge alone relaxes framing, on purpose). */
function expectSecurityHeaders(res: Response, options: { production: boolean; embeddable?: boolean }) {
  const csp = res.headers['content-security-policy'] ?? '';
  if (options.embeddable) {
    expect(csp).toContain("default-src 'none'");
  } else {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(res.headers['x-frame-options']).toBe('DENY');
  }
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(res.headers['x-powered-by']).toBeUndefined();
  if (options.production) {
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    if (!options.embeddable) expect(csp).toContain('upgrade-insecure-requests');
  } else {
    expect(res.headers['strict-transport-security']).toBeUndefined();
  }
}

/** One request of every kind of response the site gives, with the status and type it must have. */
const KINDS: { kind: string; path: (slug: string) => string; status: number; type: RegExp }[] = [
  { kind: 'home page', path: () => '/', status: 200, type: /text\/html/ },
  { kind: 'verdict page', path: (slug) => `/claims/${slug}`, status: 200, type: /text\/html/ },
  { kind: 'list page', path: () => '/claims', status: 200, type: /text\/html/ },
  { kind: 'page that does not exist (404)', path: () => '/tidak-ada', status: 404, type: /text\/html/ },
  { kind: 'bad request (400)', path: () => '/claims/%E0%A4%A', status: 400, type: /text\/html/ },
  { kind: 'API JSON', path: () => '/api/v1/claims', status: 200, type: /application\/json/ },
  { kind: 'API 404', path: () => '/api/v1/tidak-ada', status: 404, type: /application\/json/ },
  { kind: 'stylesheet', path: () => '/assets/site.css', status: 200, type: /text\/css/ },
  { kind: 'asset that does not exist', path: () => '/assets/tidak-ada.css', status: 404, type: /text\/html/ },
  { kind: 'liveness', path: () => '/healthz', status: 200, type: /application\/json/ },
  { kind: 'readiness', path: () => '/readyz', status: 200, type: /application\/json/ },
  { kind: 'feed', path: () => '/feed.xml', status: 200, type: /xml/ },
  { kind: 'CSV', path: () => '/claims.csv', status: 200, type: /text\/csv/ },
  { kind: 'share image', path: (slug) => `/claims/${slug}/share.png`, status: 200, type: /image\/png/ },
];

describe.each([
  { mode: 'development and test', production: false, overrides: {} },
  { mode: 'production', production: true, overrides: PRODUCTION },
])('security headers in $mode mode', ({ production, overrides }) => {
  const ctx = useTestApp(overrides);
  let slug: string;
  beforeAll(async () => {
    slug = (await createClaim(ctx.db)).slug;
  });

  it.each(KINDS)(
    'the $kind answers with CSP, frame-ancestors, nosniff and a referrer policy',
    async (kind) => {
      const res = await request(ctx.app).get(kind.path(slug)).set('Accept-Language', 'id');
      expect(res.status).toBe(kind.status);
      expect(res.headers['content-type']).toMatch(kind.type);
      expectSecurityHeaders(res, { production });
    },
  );

  it('the embeddable badge has a CSP of its own that allows no content but any frame', async () => {
    const res = await request(ctx.app).get(`/claims/${slug}/badge.svg`).expect(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors *");
    expectSecurityHeaders(res, { production, embeddable: true });
  });

  it(`the language cookie is HttpOnly and SameSite=Lax${production ? ', and Secure' : ''}`, async () => {
    const res = await request(ctx.app).get('/?lang=en').expect(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('lang='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    if (production) expect(cookie).toMatch(/; Secure/);
    else expect(cookie).not.toMatch(/; Secure/);
  });
});

describe('error pages in production mode', () => {
  const ctx = useTestApp(PRODUCTION);
  let slug: string;
  beforeAll(async () => {
    slug = (await createClaim(ctx.db)).slug;
  });

  it('an unexpected database error answers 500 with a plain page and JSON: no stack, SQL or path', async () => {
    // A table renamed away under the running app: every query on it fails with PostgreSQL's own message.
    await ctx.db.raw('ALTER TABLE claims RENAME TO claims_moved_away');
    try {
      for (const target of ['/', '/claims', `/claims/${slug}`]) {
        const page = await request(ctx.app).get(target).set('Accept-Language', 'id');
        expect(page.status, target).toBe(500);
        expect(page.headers['content-type']).toMatch(/text\/html/);
        expect(page.text).toContain('Terjadi kesalahan');
        expect(page.text).toMatch(/Kode permintaan/);
        expectNoLeaks(page);
        expectSecurityHeaders(page, { production: true });
      }
      const api = await request(ctx.app).get('/api/v1/claims').set('Accept-Language', 'en');
      expect(api.status).toBe(500);
      expect(api.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong' } });
      expectNoLeaks(api);
      expectSecurityHeaders(api, { production: true });
    } finally {
      await ctx.db.raw('ALTER TABLE claims_moved_away RENAME TO claims');
    }
  });

  it('an address that cannot be decoded answers a plain 400 page', async () => {
    const res = await request(ctx.app).get('/claims/%E0%A4%A').set('Accept-Language', 'id');
    expect(res.status).toBe(400);
    expectNoLeaks(res);
  });
});

describe('error pages in production mode with the database gone', () => {
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const config = testConfig(PRODUCTION);
    app = buildApp({ config, db: database.db, logger: createLogger({ level: 'silent' }) });
    await database.destroy();
  });
  afterAll(() => {});

  it.each(['/', '/claims', '/api/v1/claims', '/readyz'])(
    '%s answers a helpful 503 with no stack, SQL or path',
    async (target) => {
      const res = await request(app).get(target).set('Accept-Language', 'id');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after'] ?? '5').toBe('5');
      expectNoLeaks(res);
      expectSecurityHeaders(res, { production: true });
      if (target === '/readyz') expect(res.body).toEqual({ status: 'not_ready', database: 'down' });
      else if (target.startsWith('/api/')) expect(res.body.error.code).toBe('service_unavailable');
      else expect(res.text).toContain('Layanan sedang tidak tersedia');
    },
  );
});
