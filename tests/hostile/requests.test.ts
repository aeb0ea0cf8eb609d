import type { Response } from 'supertest';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_QUERY_PARAMETERS, MAX_URL_LENGTH } from '../../src/http/limits';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim } from '../helpers/factories';
import { formBody, type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { expectNoMarkupFrom, expectSafeStructure, parse } from './dom';
import { ALL_STORABLE, INVALID_PERCENT_ENCODINGS, LONE_SURROGATES, REFUSED_EVERYWHERE } from './strings';

// Naughty strings in every query parameter and route parameter, anonymous and signed in, and the explicit
// limits on what a request may carry: each answered with a clear 4xx, never a 5xx.

type Who = 'anonymous' | 'reporter' | 'admin';

interface Probe {
  who: Who;
  /** The URL with the string in it (already encoded). */
  url(encoded: string): string;
  /** Statuses that make sense for it (anything else, and every 5xx, fails). */
  allowed: number[];
}

const q = (value: string) => new URLSearchParams({ q: value }).toString().slice(2);

/** What a browser sends for a string with lone surrogates: U+FFFD in their place. */
function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Where each string goes besides /claims?q= : one of these in turn (sampled, not the cross product). */
const PROBES: Probe[] = [
  { who: 'anonymous', url: (s) => `/api/v1/claims?q=${s}`, allowed: [200, 400] },
  { who: 'anonymous', url: (s) => `/claims/${s}`, allowed: [400, 404] },
  { who: 'anonymous', url: (s) => `/api/v1/claims/${s}`, allowed: [400, 404] },
  { who: 'anonymous', url: (s) => `/candidates/${s}`, allowed: [400, 404] },
  { who: 'anonymous', url: (s) => `/elections/${s}`, allowed: [400, 404] },
  { who: 'anonymous', url: (s) => `/claims/${s}/badge.svg`, allowed: [400, 404] },
  { who: 'anonymous', url: (s) => `/claims/${s}/share.png`, allowed: [400, 404] },
  {
    who: 'anonymous',
    url: (s) => `/claims?status=${s}&topic=${s}&election=${s}&candidate=${s}`,
    // A long string four times over is longer than a URL may be.
    allowed: [200, 400, 414],
  },
  { who: 'anonymous', url: (s) => `/claims?kind=${s}&sort=${s}&page=${s}&cursor=${s}`, allowed: [200, 400] },
  { who: 'anonymous', url: (s) => `/claims.csv?q=${s}&topic=${s}`, allowed: [200, 400] },
  { who: 'anonymous', url: (s) => `/api/v1/claims?per_page=${s}&cursor=${s}`, allowed: [200, 400] },
  { who: 'anonymous', url: (s) => `/sitemap.xml?part=${s}`, allowed: [200, 400] },
  { who: 'anonymous', url: (s) => `/feed.xml?lang=${s}`, allowed: [200] },
  { who: 'anonymous', url: (s) => `/?lang=${s}&utm_source=${s}`, allowed: [200] },
  { who: 'anonymous', url: (s) => `/login?next=${s}`, allowed: [200] },
  { who: 'anonymous', url: (s) => `/newsroom/claims?q=${s}`, allowed: [303, 401] },
  { who: 'reporter', url: (s) => `/newsroom/claims?q=${s}&state=${s}&page=${s}`, allowed: [200] },
  { who: 'reporter', url: (s) => `/newsroom/claims/${s}`, allowed: [200, 404] },
  { who: 'reporter', url: (s) => `/newsroom/claims/${s}/edit`, allowed: [200, 403, 404] },
  { who: 'reporter', url: (s) => `/newsroom/claims/new?saved=${s}`, allowed: [200] },
  {
    who: 'admin',
    url: (s) => `/newsroom/audit?action=${s}&entity=${s}&entity_id=${s}&before=${s}`,
    allowed: [200],
  },
  { who: 'admin', url: (s) => `/newsroom/users/${s}`, allowed: [200, 404] },
];

describe('naughty strings in query and route parameters', () => {
  const ctx = useNewsroomApp();
  const sessions = {} as Record<Exclude<Who, 'anonymous'>, NewsroomSession>;
  const figures = { strings: 0, requests: 0, refused4xx: 0 };

  beforeAll(async () => {
    sessions.reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    sessions.admin = await signInAs(ctx.app, ctx.db, 'admin');
    // Something to find, so that searches run their full course.
    const candidate = await createCandidate(ctx.db);
    await createClaim(ctx.db, { candidate_id: candidate.id, election_id: candidate.election_id });
  });

  afterAll(() => recordFigures('hostile/requests', figures));

  async function get(who: Who, url: string): Promise<Response> {
    const res = await (who === 'anonymous' ? request(ctx.app).get(url) : sessions[who].get(url));
    figures.requests += 1;
    if (res.status >= 400 && res.status < 500) figures.refused4xx += 1;
    return res;
  }

  function expectHarmless(res: Response, value: string, where: string) {
    expect(res.status, `${where}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('text/html')) {
      const doc = parse(res.text);
      expectSafeStructure(doc, where);
      expectNoMarkupFrom(doc, [value], where);
    } else if (type.startsWith('application/json')) {
      expect(() => JSON.parse(res.text)).not.toThrow();
      if (res.status >= 400) expect(res.body.error?.code, where).toEqual(expect.any(String));
    }
  }

  it('every string, in /claims?q= and in one more parameter in turn, is answered without a 5xx or markup', async () => {
    const strings = [...ALL_STORABLE, ...REFUSED_EVERYWHERE, ...LONE_SURROGATES];
    figures.strings = strings.length;
    for (const [i, value] of strings.entries()) {
      const search = await get('anonymous', `/claims?${new URLSearchParams({ q: value })}`);
      expectHarmless(search, value, `/claims?q=${JSON.stringify(value)}`);
      expect([200, 400], JSON.stringify(value)).toContain(search.status);
      if (search.status === 200) {
        // The search box shows what was searched for, as its value, not as markup.
        const box = parse(search.text).querySelector('#f-q');
        expect(box?.getAttribute('value'), JSON.stringify(value)).toBe(
          wellFormed(value)
            .replace(/[\t\n\r]+/g, ' ')
            .trim(),
        );
      }
      const probe = PROBES[i % PROBES.length]!;
      const url = probe.url(q(value));
      const res = await get(probe.who, url);
      expectHarmless(res, value, `${probe.who} ${url}`);
      // NUL may be refused (400) where a parameter reads it; an empty or dot segment is another path.
      const allowed = ['', '.'].includes(value)
        ? [res.status]
        : value.includes('\u0000')
          ? [...probe.allowed, 400]
          : probe.allowed;
      expect(allowed, `${probe.who} GET ${url} answered ${res.status}`).toContain(res.status);
    }
  }, 300_000);

  it('every kind of probe is answered without a 5xx for a sample of the worst strings, signed in or not', async () => {
    const worst = [
      "'; drop table claims; --",
      '"><img src=x onerror=alert(1)>',
      '\u0000',
      '\ud800',
      '{{7*7}}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the hostile input
      '${7*7}',
      '<%= process.env %>',
      'x'.repeat(3000),
    ];
    for (const probe of PROBES) {
      for (const value of worst) {
        const url = probe.url(q(value));
        const res = await get(probe.who, url);
        expectHarmless(res, value, `${probe.who} ${url.slice(0, 120)}`);
      }
    }
  }, 120_000);
});

describe('limits on what a request may carry', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let candidateId: number;

  beforeAll(async () => {
    reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    candidateId = (await createCandidate(ctx.db)).id;
  });

  function pageText(res: Response): string {
    return parse(res.text).querySelector('main, body')?.textContent?.replace(/\s+/g, ' ') ?? '';
  }

  async function claimCount(): Promise<number> {
    const row = await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first();
    return Number(row?.n);
  }

  it(`more than ${MAX_QUERY_PARAMETERS} query parameters: 400 saying so, in both languages; ${MAX_QUERY_PARAMETERS} are fine`, async () => {
    const many = (n: number) => Array.from({ length: n }, () => 'a=1').join('&');
    await request(ctx.app)
      .get(`/claims?${many(MAX_QUERY_PARAMETERS)}`)
      .expect(200);
    for (const n of [MAX_QUERY_PARAMETERS + 1, 1000]) {
      const id = await request(ctx.app)
        .get(`/claims?${many(n)}`)
        .expect(400);
      expect(pageText(id)).toContain('Terlalu banyak parameter');
      const en = await request(ctx.app)
        .get(`/claims?lang=en&${many(n)}`)
        .expect(400);
      expect(pageText(en)).toContain('Too many parameters');
    }
    const api = await request(ctx.app)
      .get(`/api/v1/claims?${many(1000)}`)
      .expect(400);
    expect(api.body.error.code).toBe('too_many_parameters');
    // Repeated names count too.
    await request(ctx.app)
      .get(`/claims?${'q=&'.repeat(1000)}`)
      .expect(400);
  });

  it('parameter names nested deeper than one level: 400; one level on a filter of the list: 400, on another name: ignored', async () => {
    for (const query of [
      'q[a][b]=x',
      `a${'[x]'.repeat(50)}=1`,
      'constructor[prototype][x]=1',
      '__proto__[a][b]=1',
      'status%5B%5D%5B%5D=true',
    ]) {
      const res = await request(ctx.app).get(`/claims?lang=id&${query}`);
      expect(res.status, query).toBe(400);
      expect(pageText(res), query).toContain('Parameter bertingkat');
      const en = await request(ctx.app).get(`/claims?lang=en&${query}`).expect(400);
      expect(pageText(en), query).toContain('Nested parameters');
      const api = await request(ctx.app).get(`/api/v1/claims?${query}`).expect(400);
      expect(api.body.error.code, query).toBe('nested_parameters');
    }
    // One level on one of the list's own filters (`status[]`, `q[a]`) is refused by name, so that a link
    // written that way never shows every claim as if filtered (docs/DECISIONS.md); on any other name it is
    // unknown and ignored like utm_source. The parsed query has no prototype to pollute.
    for (const query of ['status[]=true&status[]=false', 'q[]=x', 'q[a]=b']) {
      await request(ctx.app).get(`/claims?${query}`).expect(400);
      await request(ctx.app).get(`/api/v1/claims?${query}`).expect(400);
    }
    for (const query of ['ref[]=x', '__proto__[admin]=1', '__proto__=x']) {
      await request(ctx.app).get(`/claims?${query}`).expect(200);
      await request(ctx.app).get(`/api/v1/claims?${query}`).expect(200);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // A repeated plain name is the list.
    await request(ctx.app).get('/claims?status=true&status=false&kind=statement').expect(200);
    // A parameter that must be given once, given twice, is named.
    await request(ctx.app).get('/claims?q=a&q=b').expect(400);
    const twice = await request(ctx.app).get('/api/v1/claims?q=a&q=b').expect(400);
    expect(twice.body.error.details.fields).toHaveProperty('q');
  });

  it('invalid UTF-8 percent-encodings in a path or query: 400 naming the parameter, never searched', async () => {
    for (const bad of INVALID_PERCENT_ENCODINGS) {
      const list = await request(ctx.app).get(`/claims?lang=id&q=${bad}`).expect(400);
      expect(parse(list.text).querySelector('.notice-error')?.textContent, bad).toContain('(q)');
      const en = await request(ctx.app).get(`/claims?lang=en&status=${bad}`).expect(400);
      expect(parse(en.text).querySelector('.notice-error')?.textContent, bad).toContain('(status)');
      const api = await request(ctx.app).get(`/api/v1/claims?q=${bad}&topic=${bad}`).expect(400);
      expect(Object.keys(api.body.error.details.fields).sort(), bad).toEqual(['q', 'topic']);
      await request(ctx.app).get(`/claims.csv?q=${bad}`).expect(400);
      await request(ctx.app).get(`/sitemap.xml?part=${bad}`).expect(400);
      expect((await reporter.get(`/newsroom/claims?q=${bad}`)).status, bad).toBe(400);
      // Where a parameter is only a preference, it is ignored rather than believed.
      await request(ctx.app).get(`/?lang=${bad}`).expect(200);
      const login = await request(ctx.app).get(`/login?next=${bad}`).expect(200);
      expect(parse(login.text).querySelector('input[name="next"]')).toBeNull();
      // In a path: 400 with its own page.
      for (const path of [`/claims/${bad}`, `/api/v1/claims/${bad}`, `/newsroom/claims/${bad}`, `/x${bad}`]) {
        expect((await reporter.get(path)).status, path).toBe(400);
      }
      const page = await request(ctx.app).get(`/claims/${bad}?lang=en`).expect(400);
      expect(pageText(page)).toContain('not valid UTF-8');
    }
    // NUL: refused by each parameter that would use it; in a slug or an id it matches nothing.
    await request(ctx.app).get('/claims?q=a%00b').expect(400);
    expect((await reporter.get('/newsroom/claims?q=a%00b')).status).toBe(400);
    await request(ctx.app).get('/claims/a%00b').expect(404);
    await request(ctx.app).get('/api/v1/claims/x%00y').expect(404);
    expect((await reporter.get('/newsroom/claims/1%00')).status).toBe(404);
  });

  it(`a URL longer than ${MAX_URL_LENGTH} characters: 414 with a page; past Node's header limit: 431`, async () => {
    const long = await request(ctx.app)
      .get(`/claims?q=${'a'.repeat(MAX_URL_LENGTH)}`)
      .expect(414);
    expect(pageText(long)).toContain('Alamat terlalu panjang');
    const api = await request(ctx.app)
      .get(`/api/v1/claims?q=${'a'.repeat(MAX_URL_LENGTH)}`)
      .expect(414);
    expect(api.body.error.code).toBe('uri_too_long');
    // Past 16 KiB of headers Node answers 431 itself, before the app (a real socket, not supertest's).
    const server = ctx.app.listen(0);
    try {
      const port = (server.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/claims?q=${'a'.repeat(20_000)}`);
      expect(res.status).toBe(431);
    } finally {
      server.close();
    }
  });

  it('numbers past the database integer range, in ids and filters: not found or ignored, never a 5xx', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    for (const big of ['2147483648', '99999999999', '999999999999', '1e308', '-1', '0x10']) {
      await admin.get(`/newsroom/audit?entity_id=${big}&actor=${big}&before=${big}`).expect(200);
      for (const url of [
        `/newsroom/claims/${big}`,
        `/newsroom/users/${big}`,
        `/newsroom/claims/${big}/evidence`,
      ]) {
        expect((await admin.get(url)).status, url).toBe(404);
      }
      for (const url of [
        `/claims?page=${big}`,
        `/api/v1/claims?per_page=${big}`,
        `/sitemap.xml?part=${big}`,
      ]) {
        expect((await request(ctx.app).get(url)).status, url).toBe(400);
      }
    }
  });

  it('a query value longer than its field allows: 400 naming it', async () => {
    const res = await request(ctx.app)
      .get(`/claims?q=${'a'.repeat(201)}`)
      .expect(400);
    expect(res.text).toContain('q');
    const api = await request(ctx.app)
      .get(`/api/v1/claims?q=${'a'.repeat(201)}`)
      .expect(400);
    expect(api.body.error.details.fields).toHaveProperty('q');
  });

  it('a form body over 3 MB: 413 with a page in both languages, nothing stored', async () => {
    const before = await claimCount();
    const huge = 'a'.repeat(3 * 1024 * 1024 + 10);
    const res = await reporter.post('/newsroom/claims/new?lang=id', {
      candidate_id: candidateId,
      kind: 'statement',
      quote: huge,
    });
    expect(res.status).toBe(413);
    expect(pageText(res)).toContain('Isian terlalu besar');
    const en = await reporter.post('/newsroom/claims/new?lang=en', {
      candidate_id: candidateId,
      kind: 'statement',
      quote: huge,
    });
    expect(en.status).toBe(413);
    expect(pageText(en)).toContain('larger than we accept');
    // The sign-in form takes 10 kB at most.
    const login = await request(ctx.app)
      .post('/login')
      .type('form')
      .send(formBody({ email: 'a'.repeat(20_000) }));
    expect(login.status).toBe(413);
    expect(await claimCount()).toBe(before);
  });

  it('a form with more than 1000 fields: 413 saying so; multipart with too many fields too', async () => {
    const fields: Record<string, string> = {
      candidate_id: String(candidateId),
      kind: 'statement',
      quote: 'x',
    };
    for (let i = 0; i < 1001; i += 1) fields[`extra_${i}`] = 'x';
    const res = await reporter.post('/newsroom/claims/new?lang=id', fields);
    expect(res.status).toBe(413);
    expect(pageText(res)).toContain('Terlalu banyak isian');
    let multipart = reporter.agent.post('/newsroom/import').field('_csrf', reporter.csrf);
    for (let i = 0; i < 60; i += 1) multipart = multipart.field(`f${i}`, 'x');
    expect((await multipart).status).toBe(413);
    const bigFile = await reporter.agent
      .post('/newsroom/import')
      .field('_csrf', reporter.csrf)
      .attach('file', Buffer.alloc(2 * 1024 * 1024 + 1, 'a'), 'claims.csv');
    expect(bigFile.status).toBe(413);
  });

  it('a field longer than its limit, or with NUL: 400 with the message on that field, nothing stored', async () => {
    const before = await claimCount();
    const base = { candidate_id: candidateId, kind: 'statement', quote: 'Kutipan' };
    const long = await reporter
      .post('/newsroom/claims/new?lang=id', { ...base, title: 'j'.repeat(201) })
      .expect(400);
    expect(parse(long.text).querySelector('#f-title-error')?.textContent).toBe('Terlalu panjang.');
    for (const value of REFUSED_EVERYWHERE) {
      const res = await reporter.post('/newsroom/claims/new?lang=id', { ...base, title: value }).expect(400);
      expect(parse(res.text).querySelector('#f-title-error')?.textContent).toContain('NUL');
      const en = await reporter.post('/newsroom/claims/new?lang=en', { ...base, event: value }).expect(400);
      expect(parse(en.text).querySelector('#f-event-error')?.textContent).toContain('NUL');
    }
    const blank = await reporter
      .post('/newsroom/claims/new?lang=id', { ...base, quote: ' \u3000\t\r\n' })
      .expect(400);
    expect(parse(blank.text).querySelector('#f-quote-error')?.textContent).toBe('Wajib diisi.');
    // The sign-in form, with NUL in the email: refused like any wrong email, not a 5xx.
    const page = await request.agent(ctx.app).get('/login');
    expect(page.status).toBe(200);
    const agent = request.agent(ctx.app);
    const form = await agent.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const login = await agent
      .post('/login')
      .type('form')
      .send(formBody({ _csrf: csrf, email: 'a\u0000@b.test', password: 'x\u0000y' }));
    expect(login.status).toBe(401);
    expect(await claimCount()).toBe(before);
  });

  it('a form body that is not UTF-8 percent-encoding: 400, nothing stored; a lone surrogate from a browser arrives as U+FFFD', async () => {
    const before = await claimCount();
    for (const bad of INVALID_PERCENT_ENCODINGS) {
      const body = `_csrf=${encodeURIComponent(reporter.csrf)}&candidate_id=${candidateId}&kind=statement&quote=${bad}`;
      const res = await reporter.agent.post('/newsroom/claims/new?lang=id').type('form').send(body);
      expect(res.status, bad).toBe(400);
      expect(pageText(res)).toContain('Karakter tidak terbaca');
    }
    // Raw bytes that are not UTF-8 at all.
    const raw = Buffer.concat([
      Buffer.from(
        `_csrf=${encodeURIComponent(reporter.csrf)}&candidate_id=${candidateId}&kind=statement&quote=`,
      ),
      Buffer.from([0xc0, 0xaf, 0xff]),
    ]);
    const rawRes = await reporter.agent
      .post('/newsroom/claims/new')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      // As bytes: superagent would otherwise turn a Buffer into a form of its own.
      .serialize((body: unknown) => body as string)
      .send(raw);
    expect(rawRes.status).toBe(400);
    expect(await claimCount()).toBe(before);
    // What a browser sends for a lone surrogate: U+FFFD, stored as such.
    const res = await reporter.post('/newsroom/claims/new', {
      candidate_id: candidateId,
      kind: 'statement',
      quote: LONE_SURROGATES[1]!,
      after_save: 'open',
    });
    expect(res.status).toBe(303);
    const id = Number(/claims\/(\d+)/.exec(res.headers.location ?? '')![1]);
    expect((await ctx.db('claims').where({ id }).first()).quote).toBe('a\ufffdb');
  });

  it('an uploaded CSV file that is not UTF-8: 400 saying so, nothing stored', async () => {
    const before = await claimCount();
    const candidate = await ctx.db('candidates').where({ id: candidateId }).first();
    // "Kota Tenggarong – Kutai" as Windows-1252 would save it: the dash is byte 0x96, not UTF-8.
    const file = Buffer.concat([
      Buffer.from(`candidate,kind,quote\r\n${candidate.slug},statement,Kota Tenggarong `),
      Buffer.from([0x96]),
      Buffer.from(' Kutai\r\n'),
    ]);
    for (const commit of ['', '1']) {
      let upload = reporter.agent.post('/newsroom/import?lang=id').field('_csrf', reporter.csrf);
      if (commit) upload = upload.field('commit', commit);
      const res = await upload.attach('file', file, 'klaim.csv');
      expect(res.status).toBe(400);
      expect(pageText(res)).toContain('bukan teks UTF-8');
    }
    // The same file in UTF-8 is fine.
    const good = await reporter.agent
      .post('/newsroom/import')
      .field('_csrf', reporter.csrf)
      .attach(
        'file',
        Buffer.from(`candidate,kind,quote\r\n${candidate.slug},statement,Kota Tenggarong – Kutai\r\n`),
        'klaim.csv',
      );
    expect(good.status).toBe(200);
    expect(await claimCount()).toBe(before);
  });

  it('bodies of the wrong type: 415 with a page, for the newsroom forms and sign-in alike', async () => {
    const before = await claimCount();
    const cases: [string, string][] = [
      [
        'application/json',
        JSON.stringify({ _csrf: reporter.csrf, candidate_id: candidateId, kind: 'statement', quote: 'x' }),
      ],
      ['text/plain', `_csrf=${reporter.csrf}&quote=x`],
      ['application/xml', '<claim><quote>x</quote></claim>'],
      ['text/html', '<script>alert(1)</script>'],
    ];
    for (const [type, body] of cases) {
      const res = await reporter.agent
        .post('/newsroom/claims/new?lang=id')
        .set('Content-Type', type)
        .set('X-CSRF-Token', reporter.csrf)
        .send(body);
      expect(res.status, type).toBe(415);
      expect(pageText(res)).toContain('Jenis data tidak diterima');
      const login = await request(ctx.app).post('/login').set('Content-Type', type).send(body);
      expect(login.status, `login ${type}`).toBe(415);
    }
    const en = await reporter.agent
      .post('/newsroom/claims/new?lang=en')
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(en.status).toBe(415);
    expect(pageText(en)).toContain('Type of data not accepted');
    // A form in another character set than UTF-8: refused too, rather than read wrongly.
    const latin1 = await reporter.agent
      .post('/newsroom/claims/new?lang=id')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-1')
      .send(`_csrf=${reporter.csrf}&candidate_id=${candidateId}&kind=statement&quote=caf%E9`);
    expect(latin1.status).toBe(415);
    expect(pageText(latin1)).toContain('Jenis data tidak diterima');
    expect(await claimCount()).toBe(before);
  });
});
