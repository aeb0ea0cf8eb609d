import type { Response } from 'supertest';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createElection, createUser } from '../helpers/factories';
import { type Fields, type NewsroomSession, signInEveryRole, useNewsroomApp } from '../helpers/newsroom';
import { expectTextNotMarkup, parse } from './dom';
import { ALL_STORABLE, wrap } from './strings';

// Every naughty string goes through at least one stored field of a newsroom form (spread over all of
// them rather than the cross product): stored byte for byte, shown back as text on the newsroom's pages
// and the public ones, never as markup, and never a 5xx on the way.

interface Slot {
  field: string;
  max: number;
}

interface Target {
  name: string;
  slots: Slot[];
  /** Stores the values through the form and checks every page that shows them. */
  run(values: Record<string, string>, n: number): Promise<void>;
}

describe('naughty strings through every newsroom form', () => {
  const ctx = useNewsroomApp();
  let reporter: NewsroomSession;
  let editor: NewsroomSession;
  let admin: NewsroomSession;
  let electionId: number;
  let candidateId: number;
  const figures = { strings: 0, stored: 0, requests: 0, pagesParsed: 0 };
  const placed = new Map<string, string[]>();

  beforeAll(async () => {
    ({ reporter, editor, admin } = await signInEveryRole(ctx.app, ctx.db));
    const candidate = await createCandidate(ctx.db);
    candidateId = candidate.id;
    electionId = candidate.election_id;
  });

  afterAll(() => {
    recordFigures('hostile/forms', figures);
  });

  async function expectNo5xx(res: Response | request.Test, where: string): Promise<Response> {
    const answer = await res;
    figures.requests += 1;
    expect(answer.status, `${where}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    return answer;
  }

  async function post(session: NewsroomSession, url: string, fields: Fields, expected: number) {
    const res = await expectNo5xx(session.post(url, fields), `POST ${url}`);
    expect(res.status, `POST ${url} ${JSON.stringify(fields)}: ${errorsOf(res.text)}`).toBe(expected);
    return res;
  }

  async function page(session: NewsroomSession | 'public', url: string, values: string[]) {
    const res = await expectNo5xx(
      session === 'public' ? request(ctx.app).get(url) : session.get(url),
      `GET ${url}`,
    );
    expect(res.status, `GET ${url}`).toBe(200);
    figures.pagesParsed += 1;
    expectTextNotMarkup(res.text, values, `GET ${url}`);
    return res;
  }

  /** The field messages of a form page sent back, for a failing assertion's message. */
  function errorsOf(html: string): string {
    const doc = parse(html);
    return [...doc.querySelectorAll('[role="alert"], .nr-error, .field-error')]
      .map((el) => el.textContent?.trim())
      .join(' | ');
  }

  function expectStored(row: Record<string, unknown> | undefined, values: Record<string, string>) {
    expect(row).toBeDefined();
    for (const [field, value] of Object.entries(values)) {
      expect(row![field], `stored ${field}`).toBe(value);
    }
    figures.stored += Object.keys(values).length;
  }

  const targets: Target[] = [
    {
      name: 'claim',
      slots: [
        { field: 'quote', max: 5000 },
        { field: 'title', max: 200 },
        { field: 'event', max: 300 },
        { field: 'source_publisher', max: 200 },
        { field: 'source_title', max: 300 },
        { field: 'summary', max: 1000 },
      ],
      async run(values) {
        const created = await post(
          reporter,
          '/newsroom/claims/new',
          {
            candidate_id: candidateId,
            election_id: electionId,
            kind: 'statement',
            after_save: 'open',
            // Hostile strings alike enough to be asked about as duplicates: confirmed.
            confirm_duplicates: '1',
            ...values,
          },
          303,
        );
        const id = Number(/\/newsroom\/claims\/(\d+)/.exec(created.headers.location ?? '')?.[1]);
        // The event's name is stored as the event's (the claim points at it).
        const row = await ctx
          .db('claims as c')
          .leftJoin('events as ev', 'ev.id', 'c.event_id')
          .select('c.*', 'ev.name as event')
          .where('c.id', id)
          .first();
        expectStored(row, values);
        const shown = Object.values(values);
        await page(reporter, `/newsroom/claims/${id}`, [values.quote!]);
        await page(reporter, `/newsroom/claims/${id}/edit`, shown);
        await post(editor, `/newsroom/claims/${id}/publish`, { version: row.version }, 303);
        await page('public', `/claims/${row.slug}`, shown);
        // The JSON API gives the stored text back exactly.
        const api = await expectNo5xx(request(ctx.app).get(`/api/v1/claims/${row.slug}`), 'api');
        expect(api.status).toBe(200);
        for (const field of ['title', 'quote', 'summary'] as const) {
          if (values[field] !== undefined) expect(api.body.data[field], `api ${field}`).toBe(values[field]);
        }
        if (values.event !== undefined) expect(api.body.data.event?.name, 'api event').toBe(values.event);
      },
    },
    {
      name: 'evidence',
      slots: [
        { field: 'excerpt', max: 5000 },
        { field: 'title', max: 300 },
        { field: 'publisher', max: 200 },
      ],
      async run(values, n) {
        const claim = await createClaim(ctx.db, { candidate_id: candidateId, election_id: electionId });
        const fields = { url: `https://example.org/bukti/${n}`, stance: 'context', title: 'x', ...values };
        await post(reporter, `/newsroom/claims/${claim.id}/evidence`, fields, 303);
        const row = await ctx.db('evidence').where({ claim_id: claim.id }).orderBy('id', 'desc').first();
        expectStored(row, values);
        await page(reporter, `/newsroom/claims/${claim.id}/evidence`, Object.values(values));
        await page(reporter, `/newsroom/claims/${claim.id}/evidence/${row.id}/edit`, Object.values(values));
        await page('public', `/claims/${claim.slug}`, Object.values(values));
      },
    },
    {
      name: 'status change and rejection',
      slots: [
        { field: 'note', max: 2000 },
        { field: 'reason', max: 2000 },
      ],
      async run(values) {
        const claim = await createClaim(ctx.db, {
          candidate_id: candidateId,
          election_id: electionId,
          kind: 'promise',
        });
        // An editor's change is approved at once: the note is on the public timeline.
        await post(
          editor,
          `/newsroom/claims/${claim.id}/status`,
          { status: 'in_progress', note: values.note },
          303,
        );
        const update = await ctx.db('status_updates').where({ claim_id: claim.id }).first();
        expectStored(update, { note: values.note! });
        await page('public', `/claims/${claim.slug}`, [values.note!]);
        if (values.reason !== undefined) {
          // A reporter's proposal, rejected with the reason.
          await post(
            reporter,
            `/newsroom/claims/${claim.id}/status`,
            { status: 'not_rated', note: 'Usulan' },
            303,
          );
          const proposal = await ctx
            .db('status_updates')
            .where({ claim_id: claim.id })
            .orderBy('id', 'desc')
            .first();
          await post(
            editor,
            `/newsroom/status-updates/${proposal.id}/reject`,
            { reason: values.reason },
            303,
          );
          const review = await ctx.db('status_reviews').where({ status_update_id: proposal.id }).first();
          expectStored(review, { reason: values.reason });
          await page(reporter, `/newsroom/claims/${claim.id}`, [values.reason]);
        }
      },
    },
    {
      name: 'election',
      slots: [
        { field: 'description', max: 5000 },
        { field: 'name', max: 200 },
        { field: 'office', max: 200 },
        { field: 'region', max: 200 },
      ],
      async run(values, n) {
        const fields = {
          name: `Pemilihan ${n}`,
          office: 'x',
          region: 'x',
          voting_day: '2029-11-27',
          ...values,
        };
        await post(editor, '/newsroom/elections/new', fields, 303);
        const row = await ctx.db('elections').where({ name: fields.name }).first();
        expectStored(row, values);
        await page(editor, `/newsroom/elections/${row.id}/edit`, Object.values(values));
        await page(reporter, '/newsroom/elections', [fields.name]);
        await page('public', `/elections/${row.slug}`, Object.values(values));
      },
    },
    {
      name: 'candidate',
      slots: [
        { field: 'bio', max: 5000 },
        { field: 'name', max: 200 },
        { field: 'running_mate', max: 200 },
        { field: 'party', max: 300 },
      ],
      async run(values, n) {
        const election = await createElection(ctx.db);
        const fields = { name: `Calon ${n}`, ...values };
        await post(editor, `/newsroom/elections/${election.id}/candidates/new`, fields, 303);
        const row = await ctx.db('candidates').where({ election_id: election.id }).first();
        expectStored(row, values);
        await page(editor, `/newsroom/candidates/${row.id}/edit`, Object.values(values));
        await page('public', `/candidates/${row.slug}`, Object.values(values));
      },
    },
    {
      name: 'topic',
      slots: [{ field: 'name', max: 100 }],
      async run(values) {
        await post(reporter, '/newsroom/topics', values, 303);
        const row = await ctx.db('topics').where({ name: values.name }).first();
        expectStored(row, values);
        await page(editor, `/newsroom/topics/${row.id}/edit`, [values.name!]);
      },
    },
    {
      name: 'account name',
      slots: [{ field: 'display_name', max: 120 }],
      async run(values) {
        const account = await createUser(ctx.db, { role: 'reporter' });
        await post(
          admin,
          `/newsroom/users/${account.id}`,
          { display_name: values.display_name, role: 'reporter', version: 1 },
          303,
        );
        const row = await ctx.db('users').where({ id: account.id }).first();
        expectStored(row, values);
        await page(admin, `/newsroom/users/${account.id}`, [values.display_name!]);
      },
    },
    {
      name: 'retraction',
      slots: [{ field: 'retraction_reason', max: 2000 }],
      async run(values) {
        const claim = await createClaim(ctx.db, { candidate_id: candidateId, election_id: electionId });
        await post(
          editor,
          `/newsroom/claims/${claim.id}/retract`,
          { ...values, version: claim.version },
          303,
        );
        const row = await ctx.db('claims').where({ id: claim.id }).first();
        expectStored(row, values);
        await page('public', `/claims/${claim.slug}`, [values.retraction_reason!]);
      },
    },
  ];

  it('stores each one byte for byte and shows it back as text, never as markup', async () => {
    const queue = ALL_STORABLE.map((value, i) => ({ n: i + 1, value }));
    figures.strings = queue.length;
    let round = 0;
    while (queue.length > 0) {
      for (const target of targets) {
        if (queue.length === 0) break;
        const values: Record<string, string> = {};
        let first = 0;
        for (const slot of target.slots) {
          const at = queue.findIndex((item) => wrap(item.n, item.value).length <= slot.max);
          if (at < 0) continue;
          const [item] = queue.splice(at, 1);
          values[slot.field] = wrap(item!.n, item!.value);
          first ||= item!.n;
          placed.set(target.name, [...(placed.get(target.name) ?? []), slot.field]);
        }
        if (Object.keys(values).length === 0) continue;
        await target.run(values, first);
      }
      round += 1;
    }
    // Every form took its share.
    expect([...placed.keys()].sort()).toEqual(targets.map((t) => t.name).sort());
    expect(round).toBeGreaterThan(5);
  }, 600_000);
});
