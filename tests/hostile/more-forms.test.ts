import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createEvidence, createTopic, createUser } from '../helpers/factories';
import {
  csrfFrom,
  formBody,
  type NewsroomSession,
  signInEveryRole,
  useNewsroomApp,
} from '../helpers/newsroom';
import { expectNoMarkupFrom, expectSafeStructure, expectTextNotMarkup, parse } from './dom';
import { ALL_STORABLE, OURS, REFUSED_EVERYWHERE, wrap } from './strings';

// The forms forms.test.ts does not fill with the whole list: the CSV import (which takes the whole list
// again, in one file), Markdown explanations, correction notes, workflow notes, evidence removal, topic
// renames, new accounts, password resets and the sign-in form. A sample of the list for each.

/** The first code points of a string (never half a surrogate pair). */
function codePoints(value: string, max: number): string {
  return Array.from(value).slice(0, max).join('').slice(0, max);
}

/** Every k-th string of the list and all of ours: a spread sample. */
function sample(count: number, offset: number): string[] {
  const step = Math.max(1, Math.floor(ALL_STORABLE.length / count));
  const picked = ALL_STORABLE.filter((_, i) => i % step === offset % step).slice(0, count);
  return [...new Set([...picked, ...OURS.slice(0, 12)])];
}

describe('naughty strings through the other forms', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let editor: NewsroomSession;
  let admin: NewsroomSession;
  let candidate: { id: number; slug: string; election_id: number };
  const figures = { csvRows: 0, csvStrings: 0, sampled: 0, requests: 0 };

  beforeAll(async () => {
    ({ reporter, editor, admin } = await signInEveryRole(ctx.app, ctx.db));
    candidate = await createCandidate(ctx.db);
  });

  afterAll(() => recordFigures('hostile/more-forms', figures));

  function count(res: request.Response) {
    figures.requests += 1;
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
    return res;
  }

  it('the CSV import: the whole list in one file, previewed as text and stored byte for byte', async () => {
    const columns = ['title', 'quote', 'event', 'summary'] as const;
    const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;
    const rows: Record<(typeof columns)[number], string>[] = [];
    for (let i = 0; i < ALL_STORABLE.length; i += columns.length) {
      // The longest of each four in the quote, the shortest in the title (at most 200 characters).
      const values = [0, 1, 2, 3]
        .map((k) => wrap(i + k + 1, ALL_STORABLE[i + k] ?? `isi ${i + k}`))
        .sort((a, b) => b.length - a.length);
      rows.push({ quote: values[0]!, summary: values[1]!, event: values[2]!, title: values[3]! });
    }
    const csv = [
      `candidate,kind,${columns.join(',')}`,
      ...rows.map((row) => [candidate.slug, 'statement', ...columns.map((c) => quoted(row[c]))].join(',')),
    ].join('\r\n');
    figures.csvRows = rows.length;
    figures.csvStrings = ALL_STORABLE.length;

    const preview = count(await reporter.post('/newsroom/import?lang=id', { csv }));
    expect(preview.status, parse(preview.text).querySelector('[role="alert"]')?.textContent ?? '').toBe(200);
    const doc = parse(preview.text);
    expectSafeStructure(doc, 'import preview');
    expectNoMarkupFrom(doc, ALL_STORABLE, 'import preview');

    const commit = count(await reporter.post('/newsroom/import', { csv, commit: '1' }));
    expect(commit.status).toBe(303);
    // The event's name is stored as the event's (each claim points at it).
    const stored = await ctx
      .db('claims as c')
      .leftJoin('events as ev', 'ev.id', 'c.event_id')
      .select('c.*', 'ev.name as event')
      .where('c.candidate_id', candidate.id)
      .orderBy('c.id');
    expect(stored).toHaveLength(rows.length);
    stored.forEach((claim, i) => {
      for (const column of columns) expect(claim[column], `row ${i + 1} ${column}`).toBe(rows[i]![column]);
    });
    // And the newsroom's list shows them as text.
    const list = count(await reporter.get('/newsroom/claims?state=draft'));
    expectTextNotMarkup(
      list.text,
      stored.slice(-50).map((c) => c.title),
      'claims list',
    );
  }, 180_000);

  it('Markdown explanations: rendered as Markdown, never as the HTML typed into them', async () => {
    const strings = sample(60, 1);
    figures.sampled += strings.length;
    const res = count(
      await reporter.post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'statement',
        title: 'Penjelasan nakal',
        quote: 'Kutipan',
        explanation: strings.join('\n\n'),
        after_save: 'open',
      }),
    );
    expect(res.status).toBe(303);
    const id = Number(/claims\/(\d+)/.exec(res.headers.location ?? '')![1]);
    const claim = await ctx.db('claims').where({ id }).first();
    expect(claim.explanation).toBe(strings.join('\n\n').trim());
    await editor.post(`/newsroom/claims/${id}/publish`, { version: claim.version }).expect(303);
    const page = count(await request(ctx.app).get(`/claims/${claim.slug}`));
    expect(page.status).toBe(200);
    const doc = parse(page.text);
    expectSafeStructure(doc, 'explanation');
    expectNoMarkupFrom(doc, strings, 'explanation');
    // Only what Markdown makes, with no attribute but links' own.
    const allowed = new Set([
      'p',
      'em',
      'strong',
      'code',
      'pre',
      'a',
      'ul',
      'ol',
      'li',
      'blockquote',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'hr',
      'br',
      's',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'img',
    ]);
    for (const el of doc.querySelectorAll('.explanation *')) {
      expect(allowed, el.tagName).toContain(el.tagName.toLowerCase());
      for (const name of el.getAttributeNames()) {
        expect(
          ['href', 'rel', 'src', 'alt', 'title', 'start', 'style', 'class'],
          `${el.tagName} ${name}`,
        ).toContain(name);
      }
    }
  });

  it('correction notes, workflow notes, removal reasons and topic renames: stored and shown as text', async () => {
    const strings = sample(40, 2);
    figures.sampled += strings.length * 4;
    for (const [i, raw] of strings.entries()) {
      const value = wrap(i, raw);
      // A published claim edited by an editor with a correction note: a public correction.
      const claim = await createClaim(ctx.db, {
        candidate_id: candidate.id,
        election_id: candidate.election_id,
      });
      count(
        await editor
          .post(`/newsroom/claims/${claim.id}/edit`, {
            candidate_id: candidate.id,
            kind: claim.kind,
            title: `${claim.title} (koreksi)`,
            quote: claim.quote,
            version: claim.version,
            correction_note: value,
          })
          .expect(303),
      );
      expect((await ctx.db('corrections').where({ claim_id: claim.id }).first()).note).toBe(value);
      expectTextNotMarkup(
        count(await request(ctx.app).get(`/claims/${claim.slug}`)).text,
        [value],
        'correction',
      );

      // Evidence removed with a reason.
      const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
      count(
        await reporter
          .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, {
            removal_reason: value,
            version: 1,
          })
          .expect(303),
      );
      expect((await ctx.db('evidence').where({ id: evidence.id }).first()).removal_reason).toBe(value);
      expectTextNotMarkup(
        count(await reporter.get(`/newsroom/claims/${claim.id}/evidence`)).text,
        [value],
        'removal reason',
      );

      // A draft sent for review and returned with a note (kept in the audit log).
      const draft = await createClaim(ctx.db, {
        candidate_id: candidate.id,
        election_id: candidate.election_id,
        workflow_state: 'in_review',
      });
      count(
        await editor.post(`/newsroom/claims/${draft.id}/return`, { note: value, version: 1 }).expect(303),
      );
      const audit = await ctx
        .db('audit_log')
        .where({ entity: 'claim', entity_id: draft.id, action: 'claim.return' })
        .first();
      expect((typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after).note).toBe(value);
      expectTextNotMarkup(
        count(await reporter.get(`/newsroom/claims/${draft.id}/history`)).text,
        [],
        'history',
      );

      // A topic renamed.
      const topic = await createTopic(ctx.db);
      count(
        await editor
          .post(`/newsroom/topics/${topic.id}/edit`, { name: wrap(i, codePoints(raw, 80)), version: 1 })
          .expect(303),
      );
      const renamed = (await ctx.db('topics').where({ id: topic.id }).first()).name;
      expect(renamed).toBe(wrap(i, codePoints(raw, 80)));
      expectTextNotMarkup(count(await reporter.get('/newsroom/topics')).text, [renamed], 'topics');
    }
  }, 180_000);

  it('accounts: new accounts and password resets take any text, names shown as text', async () => {
    const strings = sample(8, 3);
    figures.sampled += strings.length;
    for (const [i, raw] of strings.entries()) {
      const name = wrap(i, codePoints(raw, 100));
      const res = count(
        await admin.post('/newsroom/users', {
          email: `akun-${i}@redaksi.test`,
          display_name: name,
          role: 'reporter',
          password: `${raw}-kata-sandi-panjang`.slice(0, 200),
        }),
      );
      expect(res.status, parse(res.text).querySelector('[role="alert"]')?.textContent ?? '').toBe(303);
      const user = await ctx
        .db('users')
        .where({ email: `akun-${i}@redaksi.test` })
        .first();
      expect(user.display_name).toBe(name);
      expectTextNotMarkup(count(await admin.get('/newsroom/users')).text, [name], 'users');
      const reset = count(
        await admin.post(`/newsroom/users/${user.id}/password`, { password: `${raw}${raw}-baru-panjang` }),
      );
      expect([303, 400]).toContain(reset.status);
    }
    // Emails that are not emails: the field's message, nothing stored.
    for (const raw of [...sample(10, 4), ...REFUSED_EVERYWHERE]) {
      const res = count(
        await admin.post('/newsroom/users?lang=id', {
          email: raw,
          display_name: 'Nama',
          role: 'reporter',
          password: 'kata-sandi-yang-panjang',
        }),
      );
      expect(res.status, JSON.stringify(raw)).toBe(400);
      expectNoMarkupFrom(parse(res.text), [raw], 'user form');
    }
  }, 120_000);

  it('choice, id, date, number and version fields: any naughty string is refused on that field', async () => {
    // Strings that cannot be an id, a date, a number or a choice (digits alone could name a real record).
    const strings = [...sample(40, 6), ...REFUSED_EVERYWHERE].filter(
      (raw) => raw.trim() !== '' && !/^[\s\d+-]*$/.test(raw) && !/^\s*\d{4}-\d{2}-\d{2}\s*$/.test(raw),
    );
    figures.sampled += strings.length;
    const claim = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      election_id: candidate.election_id,
    });
    const before = {
      claims: (await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first())?.n,
      evidence: (await ctx.db('evidence').count<{ n: string }[]>({ n: '*' }).first())?.n,
      updates: (await ctx.db('status_updates').count<{ n: string }[]>({ n: '*' }).first())?.n,
    };
    for (const raw of strings) {
      const created = count(
        await reporter.post('/newsroom/claims/new?lang=id', {
          election_id: raw,
          candidate_id: raw,
          kind: raw,
          quote: 'Kutipan',
          said_on: raw,
          deadline: raw,
          topics: [raw, raw],
          quote_is_paraphrase: raw,
        }),
      );
      expect(created.status, JSON.stringify(raw)).toBe(400);
      const doc = parse(created.text);
      expectSafeStructure(doc, 'claim form');
      expectNoMarkupFrom(doc, [raw], 'claim form');
      for (const field of ['candidate_id', 'kind', 'said_on']) {
        expect(doc.querySelector(`#f-${field}-error`), `${field} for ${JSON.stringify(raw)}`).not.toBeNull();
      }
      const edited = count(
        await editor.post(`/newsroom/claims/${claim.id}/edit`, {
          candidate_id: candidate.id,
          kind: 'statement',
          quote: 'Kutipan',
          version: raw,
        }),
      );
      expect(edited.status, JSON.stringify(raw)).toBe(400);
      const evidence = count(
        await reporter.post(`/newsroom/claims/${claim.id}/evidence?lang=id`, {
          url: 'https://example.org/a',
          title: 'Bukti',
          stance: raw,
          published_on: raw,
        }),
      );
      expect(evidence.status, JSON.stringify(raw)).toBe(400);
      expect(parse(evidence.text).querySelector('#f-stance-error')).not.toBeNull();
      const status = count(
        await editor.post(`/newsroom/claims/${claim.id}/status?lang=id`, {
          status: raw,
          note: 'Catatan',
          evidence_ids: [raw],
          version: raw,
        }),
      );
      expect(status.status, JSON.stringify(raw)).toBe(400);
      const election = count(
        await editor.post('/newsroom/elections/new?lang=id', {
          name: 'Pemilihan',
          office: 'Wali Kota',
          region: 'Kota',
          voting_day: raw,
          term_start: raw,
        }),
      );
      expect(election.status, JSON.stringify(raw)).toBe(400);
      expect(parse(election.text).querySelector('#f-voting_day-error')).not.toBeNull();
      const ballot = count(
        await editor.post(`/newsroom/elections/${candidate.election_id}/candidates/new?lang=id`, {
          name: 'Calon',
          ballot_number: raw,
        }),
      );
      expect(ballot.status, JSON.stringify(raw)).toBe(400);
      const role = count(
        await admin.post('/newsroom/users?lang=id', {
          email: 'peran@redaksi.test',
          display_name: 'Nama',
          role: raw,
          password: 'kata-sandi-yang-panjang',
        }),
      );
      expect(role.status, JSON.stringify(raw)).toBe(400);
    }
    expect({
      claims: (await ctx.db('claims').count<{ n: string }[]>({ n: '*' }).first())?.n,
      evidence: (await ctx.db('evidence').count<{ n: string }[]>({ n: '*' }).first())?.n,
      updates: (await ctx.db('status_updates').count<{ n: string }[]>({ n: '*' }).first())?.n,
    }).toEqual(before);
    expect(await ctx.db('users').where({ email: 'peran@redaksi.test' })).toHaveLength(0);
  }, 180_000);

  it('the sign-in form: any email, password and next are refused plainly, never a 5xx', async () => {
    const strings = [...sample(30, 5), ...REFUSED_EVERYWHERE];
    figures.sampled += strings.length;
    await createUser(ctx.db, { role: 'reporter' });
    for (const [i, raw] of strings.entries()) {
      // A fresh client each time, so that throttling counts per email only.
      const agent = request.agent(ctx.app);
      const page = await agent.get(
        raw.includes('\u0000') ? '/login' : `/login?next=${encodeURIComponent(raw)}`,
      );
      count(page);
      const res = count(
        await agent
          .post('/login')
          .type('form')
          .set('X-Forwarded-For', `10.0.${Math.floor(i / 200)}.${i % 200}`)
          .send(formBody({ _csrf: csrfFrom(page.text), email: raw, password: raw, next: raw })),
      );
      expect([401, 429], JSON.stringify(raw)).toContain(res.status);
      const doc = parse(res.text);
      expectSafeStructure(doc, 'sign-in');
      expectNoMarkupFrom(doc, [raw], 'sign-in');
    }
  }, 120_000);
});
