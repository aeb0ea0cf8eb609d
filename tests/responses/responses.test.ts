import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { PageCache } from '../../src/http/page-cache';
import { createClaim, createUser } from '../helpers/factories';
import { formBody, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { createRatedClaim } from '../helpers/public-factories';

async function sqlState(work: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const RESPONSE = {
  responded_at: '2024-11-05T09:30',
  responder: 'Tim pemenangan Calon Uji',
  responder_role: 'Juru bicara',
  text: 'Angka itu benar <b>menurut</b> data kami.\n\nKami akan mengirim dokumennya.',
  url: 'https://example.org/siaran-pers',
};

/** The verdict page's right-of-reply section. */
function section(html: string): string {
  return /<section class="responses"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
}

describe('the right of reply', () => {
  const ctx = useNewsroomApp();

  it('shows a response an editor records under the verdict, in the timeline, the API and the feed', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false', summary: 'Ringkasan penilaian.' });
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const form = await editor.get(`/newsroom/claims/${claim.id}/responses`).expect(200);
    expect(form.text).toContain('name="responder"');
    expect((await editor.get(`/newsroom/claims/${claim.id}`).expect(200)).text).toContain(
      `/newsroom/claims/${claim.id}/responses`,
    );

    const saved = await editor.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(303);
    const row = await ctx.db('claim_responses').where({ claim_id: claim.id }).first();
    expect(saved.headers.location).toBe(`/newsroom/claims/${claim.id}/responses#response-${row.id}`);
    expect(row.responded_at.toISOString()).toBe('2024-11-05T09:30:00.000Z');
    expect(row.created_by).toBe(editor.user.id);

    const page = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    const html = page.text;
    const reply = section(html);
    expect(reply).toContain('<h2 id="responses-heading">Hak jawab</h2>');
    expect(reply).toContain('Tim pemenangan Calon Uji');
    expect(reply).toContain('Juru bicara');
    expect(reply).toContain('Selasa, 5 November 2024, 09:30 UTC');
    // Plain text, escaped, one paragraph per blank line.
    expect(reply).toContain(
      '<p>Angka itu benar &lt;b&gt;menurut&lt;/b&gt; data kami.</p><p>Kami akan mengirim dokumennya.</p>',
    );
    expect(reply).toContain(
      '<a href="https://example.org/siaran-pers" rel="nofollow noopener noreferrer">https://example.org/siaran-pers</a>',
    );
    // Right under the verdict: after the summary, before the explanation, topics and the timeline.
    expect(html.indexOf('Ringkasan penilaian.')).toBeLessThan(html.indexOf('id="responses-heading"'));
    expect(html.indexOf('id="responses-heading"')).toBeLessThan(html.indexOf('id="timeline-heading"'));
    const timeline = /<ol class="timeline"[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';
    expect(timeline).toContain('Hak jawab dari Tim pemenangan Calon Uji');
    expect(timeline).toContain(`href="#response-${row.id}"`);

    const english = await request(ctx.app).get(`/claims/${claim.slug}?lang=en`).expect(200);
    expect(section(english.text)).toContain('Right of reply');
    expect(section(english.text)).toContain('Tuesday, 5 November 2024, 09:30 UTC');

    const api = await request(ctx.app).get(`/api/v1/claims/${claim.slug}`).expect(200);
    expect(api.body.data.responses).toEqual([
      {
        id: row.id,
        responded_at: '2024-11-05T09:30:00.000Z',
        responder: 'Tim pemenangan Calon Uji',
        responder_role: 'Juru bicara',
        text: RESPONSE.text,
        url: RESPONSE.url,
        recorded_at: row.created_at.toISOString(),
        corrections: [],
      },
    ]);

    const feed = await request(ctx.app).get('/feed.xml').expect(200);
    const entry = new RegExp(
      `<entry>\\s*<id>https://kawal.test/claims/${claim.slug}#response-${row.id}</id>[\\s\\S]*?</entry>`,
    ).exec(feed.text)?.[0];
    expect(entry).toBeDefined();
    expect(entry).toContain(`<title>Hak jawab: ${claim.title}</title>`);
    expect(entry).toContain('Tanggapan Tim pemenangan Calon Uji (Juru bicara)');
    expect(entry).toContain('Angka itu benar &lt;b&gt;menurut&lt;/b&gt;');
  });

  it('keeps a response to an unpublished claim out of the page, the API and the feed until it is published', async () => {
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor
      .post(`/newsroom/claims/${draft.id}/responses`, { ...RESPONSE, responder: 'Tim draf rahasia' })
      .expect(303);
    await request(ctx.app).get(`/claims/${draft.slug}`).expect(404);
    await request(ctx.app).get(`/api/v1/claims/${draft.slug}`).expect(404);
    expect((await request(ctx.app).get('/feed.xml').expect(200)).text).not.toContain('Tim draf rahasia');
    await ctx.db('claims').where({ id: draft.id }).update({
      workflow_state: 'published',
      published_at: new Date(),
      title: 'Klaim yang kini terbit',
      updated_at: ctx.db.fn.now(),
    });
    const page = await request(ctx.app).get(`/claims/${draft.slug}`).expect(200);
    expect(section(page.text)).toContain('Tim draf rahasia');
  });

  it('lets only editors record or correct a response: a reporter gets 403 and nothing is stored', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.get(`/newsroom/claims/${claim.id}/responses`).expect(403);
    await reporter.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(403);
    expect(await ctx.db('claim_responses').where({ claim_id: claim.id })).toHaveLength(0);
    expect((await reporter.get(`/newsroom/claims/${claim.id}`).expect(200)).text).not.toContain(
      `/newsroom/claims/${claim.id}/responses`,
    );

    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(303);
    const row = await ctx.db('claim_responses').where({ claim_id: claim.id }).first();
    await reporter.get(`/newsroom/responses/${row.id}/correct`).expect(403);
    await reporter
      .post(`/newsroom/responses/${row.id}/correct`, { note: 'Salah kutip', text: 'Diubah reporter' })
      .expect(403);
    expect(await ctx.db('claim_response_corrections').where({ response_id: row.id })).toHaveLength(0);

    // Without the session's CSRF token the form is refused, whoever sends it.
    await editor.agent
      .post(`/newsroom/claims/${claim.id}/responses`)
      .type('form')
      .send(formBody({ ...RESPONSE, _csrf: 'palsu' }))
      .expect(403);
    expect(await ctx.db('claim_responses').where({ claim_id: claim.id })).toHaveLength(1);
  });

  it('says what is wrong in Indonesian or English and stores nothing', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const url = `/newsroom/claims/${claim.id}/responses`;

    const empty = await editor.post(url, {}).expect(400);
    expect(empty.text).toContain('Waktu tanggapan');
    expect(empty.text).toContain('Wajib diisi.');

    const nothingSaid = await editor.post(`${url}?lang=en`, { ...RESPONSE, text: '  ', url: '' }).expect(400);
    expect(nothingSaid.text).toContain('Give the response’s text, its link, or both.');
    // What was typed comes back.
    expect(nothingSaid.text).toContain('value="Tim pemenangan Calon Uji"');

    // The language chosen last is remembered: say which one each answer is expected in.
    const script = await editor
      .post(`${url}?lang=id`, { ...RESPONSE, url: 'javascript:alert(1)' })
      .expect(400);
    expect(script.text).toContain('Hanya alamat http:// atau https:// yang lengkap.');

    const badTime = await editor
      .post(`${url}?lang=en`, { ...RESPONSE, responded_at: '2024-02-30' })
      .expect(400);
    expect(badTime.text).toContain(
      'Write a real date (YYYY-MM-DD), optionally with a time (YYYY-MM-DDTHH:MM).',
    );
    const lateHour = await editor
      .post(`${url}?lang=id`, { ...RESPONSE, responded_at: '2024-11-05T24:10' })
      .expect(400);
    expect(lateHour.text).toContain('Tulis tanggal yang benar (TTTT-BB-HH)');

    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 16);
    const ahead = await editor.post(`${url}?lang=id`, { ...RESPONSE, responded_at: future }).expect(400);
    expect(ahead.text).toContain('Waktu tanggapan tidak boleh di masa depan.');

    expect(await ctx.db('claim_responses').where({ claim_id: claim.id })).toHaveLength(0);
    await editor.post(`/newsroom/claims/999999/responses`, RESPONSE).expect(404);

    // A day alone is a day, and an offset is honoured.
    await editor.post(url, { ...RESPONSE, responded_at: '2024-11-06' }).expect(303);
    await editor.post(url, { ...RESPONSE, responded_at: '2024-11-07T08:00+08:00' }).expect(303);
    const times = await ctx
      .db('claim_responses')
      .where({ claim_id: claim.id })
      .orderBy('id')
      .pluck('responded_at');
    expect(times.map((t: Date) => t.toISOString())).toEqual([
      '2024-11-06T00:00:00.000Z',
      '2024-11-07T00:00:00.000Z',
    ]);
    const page = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    expect(section(page.text)).toContain('Rabu, 6 November 2024</time>');
  });

  it('changes a recorded response only through a public correction; the database refuses any other change', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'misleading' });
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(303);
    const row = await ctx.db('claim_responses').where({ claim_id: claim.id }).first();

    const form = await editor.get(`/newsroom/responses/${row.id}/correct`).expect(200);
    expect(form.text).toContain('Kami akan mengirim dokumennya.');
    const noNote = await editor
      .post(`/newsroom/responses/${row.id}/correct?lang=en`, { note: '', text: 'Teks baru' })
      .expect(400);
    expect(noNote.text).toContain('Required.');
    expect(noNote.text).toContain('Teks baru');
    expect(await ctx.db('claim_response_corrections').where({ response_id: row.id })).toHaveLength(0);

    await editor
      .post(`/newsroom/responses/${row.id}/correct`, {
        note: 'Tautan siaran pers yang benar',
        text: 'Angka itu benar menurut data kami.',
        url: 'https://example.org/siaran-pers-benar',
      })
      .expect(303)
      .expect('Location', `/newsroom/claims/${claim.id}/responses#response-${row.id}`);

    const reply = section((await request(ctx.app).get(`/claims/${claim.slug}`).expect(200)).text);
    expect(reply).toContain('https://example.org/siaran-pers-benar');
    expect(reply).not.toContain('https://example.org/siaran-pers"');
    expect(reply).not.toContain('Kami akan mengirim dokumennya.');
    expect(reply).toContain('<strong>Dikoreksi</strong>. Tautan siaran pers yang benar');

    const api = await request(ctx.app).get(`/api/v1/claims/${claim.slug}`).expect(200);
    const [response] = api.body.data.responses;
    expect(response.text).toBe('Angka itu benar menurut data kami.');
    expect(response.url).toBe('https://example.org/siaran-pers-benar');
    expect(response.corrections).toEqual([
      expect.objectContaining({
        note: 'Tautan siaran pers yang benar',
        text: 'Angka itu benar menurut data kami.',
        url: 'https://example.org/siaran-pers-benar',
        previous_text: RESPONSE.text,
        previous_url: RESPONSE.url,
      }),
    ]);

    // The original wording is kept as it was recorded.
    expect((await ctx.db('claim_responses').where({ id: row.id }).first()).text).toBe(RESPONSE.text);
    // Whatever writes to the database, the rows do not change (restrict_violation).
    expect(await sqlState(ctx.db('claim_responses').where({ id: row.id }).update({ text: 'x' }))).toBe(
      '23001',
    );
    expect(await sqlState(ctx.db('claim_responses').where({ id: row.id }).delete())).toBe('23001');
    expect(await sqlState(ctx.db.raw('TRUNCATE claim_response_corrections'))).toBe('23001');
    expect(
      await sqlState(
        ctx.db('claim_response_corrections').where({ response_id: row.id }).update({ note: 'x' }),
      ),
    ).toBe('23001');
    // And a row that says nothing, or links anywhere but the web, is refused by the database too.
    const user = await createUser(ctx.db, { role: 'editor' });
    expect(
      await sqlState(
        ctx.db('claim_responses').insert({
          claim_id: claim.id,
          responded_at: new Date(),
          responder: 'Tim',
          url: 'javascript:alert(1)',
          created_by: user.id,
        }),
      ),
    ).toBe('23514');
    expect(
      await sqlState(
        ctx.db('claim_responses').insert({ claim_id: claim.id, responded_at: new Date(), responder: 'Tim' }),
      ),
    ).toBe('23514');
  });

  it('records adding and correcting a response in the audit log and the claim’s history', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(303);
    const row = await ctx.db('claim_responses').where({ claim_id: claim.id }).first();
    await editor
      .post(`/newsroom/responses/${row.id}/correct`, { note: 'Nama tim diperjelas', text: 'Teks terkoreksi' })
      .expect(303);
    const audit = await ctx
      .db('audit_log')
      .where({ entity: 'claim', entity_id: claim.id })
      .whereIn('action', ['claim.response', 'claim.response_correct'])
      .orderBy('id');
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['claim.response', editor.user.id],
      ['claim.response_correct', editor.user.id],
    ]);
    expect(audit[0].after).toMatchObject({ response_id: row.id, responder: RESPONSE.responder });
    expect(audit[1].before).toEqual({ response_id: row.id, text: RESPONSE.text, url: RESPONSE.url });
    expect(audit[1].after).toEqual({
      response_id: row.id,
      text: 'Teks terkoreksi',
      url: null,
      note: 'Nama tim diperjelas',
    });

    const history = await editor.get(`/newsroom/claims/${claim.id}/history`).expect(200);
    expect(history.text).toContain('mencatat hak jawab');
    expect(history.text).toContain('mengoreksi hak jawab');
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const log = await admin.get(`/newsroom/audit?action=claim.response_correct&lang=en`).expect(200);
    expect(log.text).toContain('corrected a right of reply');
  });
});

const cacheOf = (app: Express) => app.get('pageCache') as PageCache;

describe('the right of reply and the page cache', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on' });

  async function listening(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!cacheOf(ctx.app).stats().listening) {
      if (Date.now() > deadline) throw new Error('the page cache never started listening');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Reads the page until it is served from memory (the factories' own notifications arrive late). */
  async function cached(url: string): Promise<void> {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const res = await request(ctx.app).get(url).expect(200);
      if (res.headers['x-page-cache'] === 'hit') return;
      if (Date.now() > deadline) throw new Error(`${url} is never served from memory`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('shows a response on the next request after the form saves it, and after any other writer adds one', async () => {
    await listening();
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const url = `/claims/${claim.slug}`;
    await cached(url);

    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    await editor.post(`/newsroom/claims/${claim.id}/responses`, RESPONSE).expect(303);
    const next = await request(ctx.app).get(url).expect(200);
    expect(section(next.text)).toContain('Tim pemenangan Calon Uji');

    await cached(url);
    // A script or a psql session: only the change feed (the table's NOTIFY trigger) tells the cache.
    await ctx.db('claim_responses').insert({
      claim_id: claim.id,
      responded_at: new Date('2024-11-08T00:00:00Z'),
      responder: 'Juru bicara lewat psql',
      text: 'Tanggapan kedua.',
    });
    const deadline = Date.now() + 1_000;
    for (;;) {
      const res = await request(ctx.app).get(url).expect(200);
      if (section(res.text).includes('Juru bicara lewat psql')) break;
      if (Date.now() > deadline) throw new Error('the cached page never showed the response');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
});
