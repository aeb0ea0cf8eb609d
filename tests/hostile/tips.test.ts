import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createClaim } from '../helpers/factories';
import { type NewsroomSession, signInAs, useNewsroomApp } from '../helpers/newsroom';
import { tipForm } from '../readers/helpers';
import { expectTextNotMarkup } from './dom';
import { ALL_STORABLE, wrap } from './strings';

// Every naughty string through the tip form: the free-text fields store it byte for byte; the checked
// fields (link, date, email, claim, kind) take it or refuse it with a 4xx, and the refusal's form shows it
// back as text. The newsroom's queue and the forms prefilled from a tip show it as text, never as markup.
// No answer is a 5xx.

const TEXT_SLOTS = [
  { field: 'quote', column: 'quote', max: 2000 },
  { field: 'speaker', column: 'speaker', max: 200 },
  { field: 'where', column: 'where_said', max: 300 },
  { field: 'note', column: 'note', max: 2000 },
] as const;
const CHECKED_FIELDS = ['url', 'said_on', 'email', 'claim', 'kind'] as const;

describe('naughty strings through every tip field', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let claimSlug: string;
  const figures = { strings: 0, tips: 0, refused: 0, requests: 0, pagesParsed: 0, fiveHundreds: 0 };
  let ip = 0;
  // A documentation range of its own per request: the per-IP limit is tested elsewhere.
  const nextIp = () => `198.18.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

  beforeAll(async () => {
    reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    claimSlug = (await createClaim(ctx.db)).slug;
  });
  afterAll(() => recordFigures('hostile/tips', figures));

  async function answered(res: Promise<Response> | Response, where: string): Promise<Response> {
    const answer = await res;
    figures.requests += 1;
    if (answer.status >= 500) figures.fiveHundreds += 1;
    expect(answer.status, `${where}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    return answer;
  }

  async function page(url: string, values: string[]) {
    const res = await answered(reporter.get(url), `GET ${url}`);
    expect(res.status, `GET ${url}`).toBe(200);
    figures.pagesParsed += 1;
    expectTextNotMarkup(res.text, values, `GET ${url}`);
  }

  it('stores the free-text fields as sent and shows them as text in the queue and the prefilled forms', async () => {
    const form = await tipForm(ctx.app);
    const queue = ALL_STORABLE.map((value, i) => ({ n: i + 1, value }));
    figures.strings = queue.length;
    let batch = 0;
    while (queue.length > 0) {
      const values: Record<string, string> = {};
      for (const slot of TEXT_SLOTS) {
        const at = queue.findIndex((item) => wrap(item.n, item.value).length <= slot.max);
        if (at < 0) continue;
        const [item] = queue.splice(at, 1);
        values[slot.field] = wrap(item!.n, item!.value);
      }
      // Every third tip is evidence about a published claim, turned into the evidence form.
      const evidence = batch++ % 3 === 2;
      const res = await answered(
        form.send(
          { kind: evidence ? 'evidence' : 'claim', ...(evidence ? { claim: claimSlug } : {}), ...values },
          nextIp(),
        ),
        `POST /tips ${JSON.stringify(values)}`,
      );
      expect(res.status, `POST /tips ${JSON.stringify(values)}`).toBe(200);
      figures.tips += 1;
      const row = await ctx.db('tips').orderBy('id', 'desc').first();
      for (const slot of TEXT_SLOTS) {
        if (values[slot.field] !== undefined) expect(row[slot.column], slot.field).toBe(values[slot.field]);
      }
      const shown = Object.values(values);
      await page('/newsroom/tips', shown);
      if (evidence) await page(`/newsroom/tips/${row.id}/evidence`, [values.note!].filter(Boolean));
      else await page(`/newsroom/tips/${row.id}/draft`, [values.quote!, values.where!].filter(Boolean));
    }
    expect(figures.fiveHundreds).toBe(0);
    expect(figures.tips).toBeGreaterThan(100);
  }, 600_000);

  it('takes or refuses each string in the checked fields with a 4xx, and shows a refused one back as text', async () => {
    const form = await tipForm(ctx.app);
    let i = 0;
    for (const value of ALL_STORABLE) {
      const field = CHECKED_FIELDS[i++ % CHECKED_FIELDS.length]!;
      const fields: Record<string, string> = { kind: 'claim', quote: `Kutipan uji ${i}`, [field]: value };
      const res = await answered(form.send(fields, nextIp()), `POST /tips ${field}=${JSON.stringify(value)}`);
      if (res.status === 200) {
        if (field === 'url') {
          const row = await ctx
            .db('tips')
            .where({ quote: `Kutipan uji ${i}` })
            .first();
          expect(row?.url).toBe(value.trim() || null);
        }
        continue;
      }
      expect(res.status, `${field}=${JSON.stringify(value)}`).toBe(400);
      figures.refused += 1;
      // The refused form: a text input shows the value back (the kind radios and a hidden claim do not).
      const echoed =
        ['url', 'said_on', 'email', 'claim'].includes(field) && value.trim() !== '' ? [value] : [];
      figures.pagesParsed += 1;
      expectTextNotMarkup(res.text, echoed, `400 for ${field}=${JSON.stringify(value)}`);
    }
    expect(figures.fiveHundreds).toBe(0);
    expect(figures.refused).toBeGreaterThan(100);
  }, 600_000);
});
