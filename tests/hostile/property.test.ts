import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createElection, createUser } from '../helpers/factories';
import { type NewsroomSession, signInEveryRole, useNewsroomApp } from '../helpers/newsroom';
import { expectNoMarkupFrom, expectSafeStructure, expectTextNotMarkup, parse } from './dom';

// Property: any string stored through any form renders as text, never as markup. A string that a form
// must refuse (NUL, blank where required, too long) is refused with that field's message, stores nothing,
// and is shown back in the form as text.

/** Pieces that HTML, templates, SQL and Unicode treat specially, mixed with arbitrary code points. */
const fragment = fc.constantFrom(
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '</textarea><b>x</b>',
  '</title><i>x</i>',
  '</script><u>x</u>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '&amp;',
  '&lt;b&gt;',
  '&#60;s&#62;',
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the hostile input
  '${7*7}',
  '{{7*7}}',
  '<%= process.env %>',
  "'; drop table claims; --",
  '\u0000',
  '\r\n',
  '\n',
  '\t',
  ' ',
  '\u00a0',
  '\u202e',
  '\u200b',
  '\ufeff',
  '👍🏽',
  '👨‍👩‍👧',
  'مرحبا',
  '\ud800',
  '\udfff',
  'javascript:alert(1)',
);
const hostileText = fc
  .array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 8 })
  .map((parts) => parts.join(''));

/** What a browser's form encoding sends for a string: lone surrogates become U+FFFD. */
function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

interface Field {
  name: string;
  required: boolean;
  max: number;
  /** Posts the value; answers the response, and where the stored value can be read and seen. */
  store(value: string): Promise<{
    res: request.Response;
    read: () => Promise<string | null | undefined>;
    pages: [NewsroomSession | 'public', string][];
  }>;
}

describe('property: whatever is typed into a form renders as text, never as markup', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let editor: NewsroomSession;
  let admin: NewsroomSession;
  let candidateId: number;
  let electionId: number;
  const figures = { runs: 0, stored: 0, refused: 0, requests: 0 };

  beforeAll(async () => {
    ({ reporter, editor, admin } = await signInEveryRole(ctx.app, ctx.db));
    const candidate = await createCandidate(ctx.db);
    candidateId = candidate.id;
    electionId = candidate.election_id;
  });

  afterAll(() => recordFigures('hostile/property', figures));

  const idFrom = (res: request.Response) => Number(/claims\/(\d+)/.exec(res.headers.location ?? '')?.[1]);

  /**
   * Logs a claim. A value close to one logged before is first answered with the duplicates question
   * (409): that page must show the value as text too, and the reporter's "save anyway" then saves it.
   */
  async function logClaim(body: Record<string, string | number>, value: string) {
    const res = await reporter.post('/newsroom/claims/new?lang=id', body);
    if (res.status !== 409) return res;
    const doc = parse(res.text);
    expectSafeStructure(doc, 'duplicates question');
    expectNoMarkupFrom(doc, [wellFormed(value)], 'duplicates question');
    return reporter.post('/newsroom/claims/new?lang=id', { ...body, confirm_duplicates: '1' });
  }

  const fields: Field[] = [
    {
      name: 'claim quote',
      required: true,
      max: 5000,
      async store(value) {
        const res = await logClaim(
          {
            candidate_id: candidateId,
            kind: 'statement',
            title: 'Judul uji',
            quote: value,
            after_save: 'open',
          },
          value,
        );
        const id = idFrom(res);
        const claim = res.status === 303 ? await ctx.db('claims').where({ id }).first() : undefined;
        if (claim)
          await editor.post(`/newsroom/claims/${id}/publish`, { version: claim.version }).expect(303);
        return {
          res,
          read: async () => claim?.quote,
          pages: claim
            ? [
                [reporter, `/newsroom/claims/${id}`],
                ['public', `/claims/${claim.slug}`],
              ]
            : [],
        };
      },
    },
    {
      name: 'claim title',
      required: false,
      max: 200,
      async store(value) {
        const res = await logClaim(
          {
            candidate_id: candidateId,
            kind: 'promise',
            title: value,
            quote: 'Kutipan',
            after_save: 'open',
          },
          value,
        );
        const id = idFrom(res);
        return {
          res,
          read: async () => (await ctx.db('claims').where({ id }).first())?.title,
          pages: res.status === 303 ? [[reporter, `/newsroom/claims/${id}/edit`]] : [],
        };
      },
    },
    {
      name: 'evidence excerpt',
      required: false,
      max: 5000,
      async store(value) {
        const claim = await createClaim(ctx.db, { candidate_id: candidateId, election_id: electionId });
        const res = await reporter.post(`/newsroom/claims/${claim.id}/evidence?lang=id`, {
          url: 'https://example.org/bukti',
          title: 'Bukti',
          stance: 'supports',
          excerpt: value,
        });
        return {
          res,
          read: async () => (await ctx.db('evidence').where({ claim_id: claim.id }).first())?.excerpt,
          pages: [
            [reporter, `/newsroom/claims/${claim.id}/evidence`],
            ['public', `/claims/${claim.slug}`],
          ],
        };
      },
    },
    {
      name: 'status note',
      required: true,
      max: 2000,
      async store(value) {
        const claim = await createClaim(ctx.db, {
          candidate_id: candidateId,
          election_id: electionId,
          kind: 'promise',
        });
        const res = await editor.post(`/newsroom/claims/${claim.id}/status?lang=id`, {
          status: 'in_progress',
          note: value,
        });
        return {
          res,
          read: async () => (await ctx.db('status_updates').where({ claim_id: claim.id }).first())?.note,
          pages: [['public', `/claims/${claim.slug}`]],
        };
      },
    },
    {
      name: 'election name',
      required: true,
      max: 200,
      async store(value) {
        const marker = `pemilihan-${figures.runs}`;
        const res = await editor.post('/newsroom/elections/new?lang=id', {
          name: value,
          office: marker,
          region: 'Kota Uji',
          voting_day: '2029-11-27',
        });
        const row = await ctx.db('elections').where({ office: marker }).first();
        return {
          res,
          read: async () => row?.name,
          pages: row ? [['public', `/elections/${row.slug}`]] : [],
        };
      },
    },
    {
      name: 'candidate bio',
      required: false,
      max: 5000,
      async store(value) {
        const election = await createElection(ctx.db);
        const res = await editor.post(`/newsroom/elections/${election.id}/candidates/new?lang=id`, {
          name: 'Calon Uji',
          bio: value,
        });
        const row = await ctx.db('candidates').where({ election_id: election.id }).first();
        return {
          res,
          read: async () => row?.bio,
          pages: row ? [['public', `/candidates/${row.slug}`]] : [],
        };
      },
    },
    {
      name: 'account name',
      required: true,
      max: 120,
      async store(value) {
        const account = await createUser(ctx.db);
        const res = await admin.post(`/newsroom/users/${account.id}?lang=id`, {
          display_name: value,
          role: 'reporter',
          version: 1,
        });
        return {
          res,
          read: async () => (await ctx.db('users').where({ id: account.id }).first())?.display_name,
          pages: [[admin, '/newsroom/users']],
        };
      },
    },
  ];

  it('stored byte for byte (trimmed) and shown as text, or refused with the field message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), hostileText, async (field, value) => {
        figures.runs += 1;
        const sent = wellFormed(value);
        const trimmed = sent.trim();
        const { res, read, pages } = await field.store(value);
        figures.requests += 1;
        expect(res.status, `${field.name}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        const refusal = sent.includes('\u0000')
          ? 'Berisi karakter NUL'
          : trimmed === '' && field.required
            ? 'Wajib diisi.'
            : trimmed.length > field.max
              ? 'Terlalu panjang.'
              : undefined;
        if (refusal) {
          expect(res.status, field.name).toBe(400);
          const doc = parse(res.text);
          expect(doc.querySelector('.nr-error')?.textContent ?? '', field.name).toContain(refusal);
          expectSafeStructure(doc, `${field.name} refused`);
          expectNoMarkupFrom(doc, [sent], `${field.name} refused`);
          figures.refused += 1;
          return;
        }
        expect(res.status, `${field.name}: ${res.text.slice(0, 300)}`).toBe(303);
        expect(await read(), field.name).toBe(trimmed === '' ? null : trimmed);
        figures.stored += 1;
        for (const [who, url] of pages) {
          const page = await (who === 'public' ? request(ctx.app).get(url) : who.get(url));
          figures.requests += 1;
          expect(page.status, url).toBe(200);
          expectTextNotMarkup(page.text, trimmed === '' ? [] : [trimmed], `${field.name} on ${url}`);
        }
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
