import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpUrl, safeHref } from '../../src/lib/urls';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { expectSafeStructure, isDangerousUrl, parse } from './dom';

// Evidence and source links accept http: and https: only. Everything else, however it is disguised, is
// refused when saved (with a message on the field) and, should it reach the database some other way
// (an old row, an import, a restore), is not made a link when rendered.

/** Schemes a browser would run, hidden with case, white space, control characters and entities. */
const HOSTILE_URLS: readonly string[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'JAVASCRIPT:alert(document.cookie)',
  ' javascript:alert(1)',
  '\tjavascript:alert(1)',
  '\njavascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'java\u0000script:alert(1)',
  '\u0001javascript:alert(1)',
  '\u00a0javascript:alert(1)',
  '\u200bjavascript:alert(1)',
  '\ufeffjavascript:alert(1)',
  'javascript&colon;alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;avascript:alert(1)',
  '&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)',
  'jav&#x09;ascript:alert(1)',
  'jav&#9;ascript:alert(1)',
  'javascript://example.org/%0aalert(1)',
  'javascript:https://example.org/',
  'ｊａｖａｓｃｒｉｐｔ:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'DATA:text/html,<script>alert(1)</script>',
  ' data:text/html,x',
  'data:image/svg+xml,<svg onload=alert(1)>',
  'vbscript:msgbox(1)',
  'VBScript:MsgBox(1)',
  'vbscript&colon;msgbox(1)',
  'file:///etc/passwd',
  'blob:https://example.org/x',
  'ftp://example.org/x',
  'mailto:redaksi@example.org',
  'tel:+62811',
  '//evil.example/x',
  '/relative/path',
  'example.org/no-scheme',
  'http:/example.org',
  'https:example.org',
  'http://',
  'https://',
  'https:// example.org',
  'https://exa mple.org/',
  'https://example.org/a b',
  'https://example.org/\u0000',
  'https://example.org/\u007f',
  'http://example.org/\u0085',
  'h\ttps://example.org/',
];

/** Ordinary addresses, odd but safe: accepted and stored exactly as typed. */
const GOOD_URLS: readonly string[] = [
  'https://example.org/',
  'http://example.org/berita?id=1&lang=id#bagian-2',
  'HTTPS://EXAMPLE.ORG/Berita',
  'https://例え.jp/パス?q=ü',
  'https://xn--r8jz45g.jp/',
  'https://example.org/%3Cscript%3E',
  'https://example.org/"><script>alert(1)</script>',
  "https://example.org/'onmouseover='alert(1)",
  'https://user:pass@example.org:8443/a',
  'http://[::1]:3000/x',
  `https://example.org/${'a'.repeat(1900)}`,
];

describe('links: http and https only, refused at saving and neutralised at rendering', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let editor: NewsroomSession;
  let candidateId: number;
  let electionId: number;
  const figures = {
    hostileUrls: HOSTILE_URLS.length,
    goodUrls: GOOD_URLS.length,
    refusedAtSaving: 0,
    refusedByDatabase: 0,
    renderedWithoutLink: 0,
  };

  beforeAll(async () => {
    reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    editor = await signInAs(ctx.app, ctx.db, 'editor');
    const candidate = await createCandidate(ctx.db);
    candidateId = candidate.id;
    electionId = candidate.election_id;
  });

  afterAll(() => recordFigures('hostile/urls', figures));

  it('the checks themselves: every hostile address refused, every good one accepted', () => {
    for (const url of HOSTILE_URLS) {
      expect(isHttpUrl(url), JSON.stringify(url)).toBe(false);
      expect(safeHref(url), JSON.stringify(url)).toBeUndefined();
    }
    for (const url of GOOD_URLS) expect(isHttpUrl(url), url).toBe(true);
  });

  it('the claim form refuses each on source_url with a message on that field, and stores nothing', async () => {
    const before = await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first();
    for (const url of HOSTILE_URLS) {
      const res = await reporter.post('/newsroom/claims/new?lang=id', {
        candidate_id: candidateId,
        kind: 'statement',
        quote: 'Kutipan',
        source_url: url,
      });
      expect(res.status, JSON.stringify(url)).toBe(400);
      const message = parse(res.text).querySelector('#f-source_url-error')?.textContent ?? '';
      expect(message, JSON.stringify(url)).toMatch(/http:\/\/ atau https:\/\/|NUL/);
      figures.refusedAtSaving += 1;
    }
    expect(await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first()).toEqual(before);
  });

  it('the evidence forms (add and edit) refuse each on url and archive_url with field messages', async () => {
    const claim = await createClaim(ctx.db, { candidate_id: candidateId, election_id: electionId });
    const existing = await createEvidence(ctx.db, { claim_id: claim.id });
    for (const [i, url] of HOSTILE_URLS.entries()) {
      const field = i % 2 === 0 ? 'url' : 'archive_url';
      const fields = { url: 'https://example.org/a', title: 'Bukti', stance: 'supports', [field]: url };
      const added = await reporter.post(`/newsroom/claims/${claim.id}/evidence?lang=en`, fields);
      expect(added.status, JSON.stringify(url)).toBe(400);
      expect(parse(added.text).querySelector(`#f-${field}-error`)?.textContent, JSON.stringify(url)).toMatch(
        /http:\/\/ or https:\/\/|NUL/,
      );
      const edited = await reporter.post(
        `/newsroom/claims/${claim.id}/evidence/${existing.id}/edit?lang=id`,
        {
          ...fields,
          version: 1,
        },
      );
      expect(edited.status, JSON.stringify(url)).toBe(400);
      expect(parse(edited.text).querySelector(`#f-${field}-error`)).not.toBeNull();
      figures.refusedAtSaving += 2;
    }
    expect(await ctx.db('evidence').where({ claim_id: claim.id })).toHaveLength(1);
    expect((await ctx.db('evidence').where({ id: existing.id }).first()).url).toBe(existing.url);
  });

  it('the CSV import refuses each as a source_url, naming the line and the column', async () => {
    const candidate = await ctx.db('candidates').where({ id: candidateId }).first();
    const before = await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first();
    const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const lines = ['candidate,kind,quote,source_url'];
    for (const url of HOSTILE_URLS.filter((u) => !u.includes('\u0000'))) {
      lines.push(`${candidate.slug},statement,Kutipan,${quoted(url)}`);
    }
    const csv = lines.join('\r\n');
    const preview = await reporter.post('/newsroom/import?lang=id', { csv });
    expect(preview.status).toBe(400);
    const commit = await reporter.post('/newsroom/import?lang=id', { csv, commit: '1' });
    expect(commit.status).toBe(400);
    expect(await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first()).toEqual(before);
  });

  it('good addresses are accepted and stored exactly, and rendered as links', async () => {
    for (const url of GOOD_URLS) {
      const res = await reporter.post('/newsroom/claims/new', {
        candidate_id: candidateId,
        kind: 'statement',
        title: 'Judul',
        quote: 'Kutipan',
        source_url: url,
        after_save: 'open',
      });
      expect(res.status, url).toBe(303);
      const id = Number(/claims\/(\d+)/.exec(res.headers.location ?? '')![1]);
      const row = await ctx.db('claims').where({ id }).first();
      expect(row.source_url).toBe(url);
      await editor.post(`/newsroom/claims/${id}/publish`, { version: row.version }).expect(303);
      const page = await request(ctx.app).get(`/claims/${row.slug}`).expect(200);
      const doc = parse(page.text);
      expectSafeStructure(doc, url);
      expect(doc.querySelector('.source a')?.getAttribute('href')).toBe(url);
    }
  });

  it('the database refuses, by CHECK constraints, any address that does not start with http(s)://', async () => {
    const claim = await createClaim(ctx.db, { candidate_id: candidateId, election_id: electionId });
    let refused = 0;
    for (const url of HOSTILE_URLS.filter((u) => !u.includes('\u0000'))) {
      if (/^https?:\/\//i.test(url)) continue;
      await expect(ctx.db('claims').where({ id: claim.id }).update({ source_url: url }), url).rejects.toThrow(
        /claims_source_url_http/,
      );
      await expect(createEvidence(ctx.db, { claim_id: claim.id, url }), url).rejects.toThrow(
        /evidence_url_http/,
      );
      refused += 2;
    }
    figures.refusedByDatabase = refused;
  });

  it('rows that hold a hostile address anyway are rendered without a link, on every page that shows them', async () => {
    // As a row from before the constraints, or a restore into a schema without them, could hold them: this
    // file's own database drops the constraints, so that the rendering is tested on its own.
    for (const [table, name] of [
      ['claims', 'claims_source_url_http'],
      ['evidence', 'evidence_url_http'],
      ['evidence', 'evidence_archive_url_http'],
    ]) {
      await ctx.db.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
    }
    for (const url of HOSTILE_URLS.filter((u) => !u.includes('\u0000'))) {
      const claim = await createClaim(ctx.db, {
        candidate_id: candidateId,
        election_id: electionId,
        source_url: url,
        source_title: 'Sumber berbahaya',
      });
      const evidence = await createEvidence(ctx.db, { claim_id: claim.id, url, title: 'Bukti berbahaya' });
      await ctx.db('evidence').where({ id: evidence.id }).update({ archive_url: url });
      await ctx
        .db('status_updates')
        .insert({ claim_id: claim.id, from_status: 'unverified', to_status: 'false', note: 'Catatan' })
        .returning('id')
        .then(async ([row]) => {
          await ctx
            .db('status_update_evidence')
            .insert({ status_update_id: row.id, evidence_id: evidence.id });
          await ctx
            .db('status_reviews')
            .insert({ status_update_id: row.id, decision: 'approved', applied_from_status: 'unverified' });
        });
      await ctx.db('claims').where({ id: claim.id }).update({ status: 'false' });

      for (const [who, path] of [
        ['public', `/claims/${claim.slug}`],
        ['public', `/claims/${claim.slug}?lang=en`],
        ['reporter', `/newsroom/claims/${claim.id}`],
        ['reporter', `/newsroom/claims/${claim.id}/evidence`],
        ['reporter', `/newsroom/claims/${claim.id}/status`],
        ['editor', '/newsroom/review'],
      ] as const) {
        const res = await (who === 'public'
          ? request(ctx.app).get(path)
          : (who === 'editor' ? editor : reporter).get(path));
        expect(res.status, path).toBe(200);
        const doc = parse(res.text);
        expectSafeStructure(doc, `${path} with ${JSON.stringify(url)}`);
        for (const a of doc.querySelectorAll('[href], [src], [action]')) {
          for (const name of ['href', 'src', 'action']) {
            const value = a.getAttribute(name);
            if (value !== null) expect(isDangerousUrl(value), `${path}: ${name}="${value}"`).toBe(false);
          }
        }
        figures.renderedWithoutLink += 1;
      }
      // The evidence title is still shown, as text.
      const page = parse((await request(ctx.app).get(`/claims/${claim.slug}`)).text);
      const title = [...page.querySelectorAll('.evidence-title')].map((el) => el.textContent?.trim());
      expect(title).toContain('Bukti berbahaya');
      expect(page.querySelector('.evidence-title a')).toBeNull();
      // The JSON API gives the data as stored (it is data, not a link), and the feed stays well-formed.
      const api = await request(ctx.app).get(`/api/v1/claims/${claim.slug}`).expect(200);
      // As stored on both engines, U+FEFF included: the claim is read as one JSON value, inside which the
      // embedded engine's decoding (which drops a BOM that starts a column's value) does not reach it.
      expect(api.body.data.evidence[0].url).toBe(url);
    }
    await request(ctx.app).get('/feed.xml').expect(200);
  }, 180_000);

  it('Markdown in an explanation: links to other schemes stay text', async () => {
    const explanation = [
      '[satu](javascript:alert(1))',
      '[dua](JAVASCRIPT:alert(1))',
      '[tiga](data:text/html,<script>alert(1)</script>)',
      '[empat](vbscript:msgbox(1))',
      '![lima](javascript:alert(1))',
      '<a href="javascript:alert(1)">enam</a>',
      '[tujuh](&#106;avascript:alert(1))',
      '[delapan]( javascript:alert(1))',
      '[sembilan](https://example.org/ok)',
    ].join('\n\n');
    const claim = await createClaim(ctx.db, {
      candidate_id: candidateId,
      election_id: electionId,
      explanation,
    });
    const page = parse((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    expectSafeStructure(page, 'explanation');
    const links = [...page.querySelectorAll('.explanation a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['https://example.org/ok']);
    expect(page.querySelector('.explanation img')).toBeNull();
  });
});
