import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PROMISE_STATUSES, type PromiseStatus } from '../../src/features/claims/scales';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim } from '../helpers/factories';
import { approveStatusChange, rejectStatusChange } from '../helpers/public-factories';

const DAY = 86_400_000;
const WINDOW_START = Date.UTC(2025, 0, 1);

interface GeneratedPromise {
  saidMonth: number;
  published: boolean;
  changes: { day: number; to: PromiseStatus; approved: boolean }[];
}

const promiseArb: fc.Arbitrary<GeneratedPromise> = fc.record({
  saidMonth: fc.integer({ min: 0, max: 8 }),
  published: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
  changes: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 400 }),
      to: fc.constantFrom(...PROMISE_STATUSES.filter((s) => s !== 'not_rated')),
      approved: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
});

/** 'YYYY-MM' of a month counted from January 2025. */
function monthOf(offset: number): string {
  const d = new Date(Date.UTC(2025, offset, 1));
  return d.toISOString().slice(0, 7);
}

/** What the status history says, worked out the plain way: for each month, each promise's last approved change. */
function expectedSeries(promises: { said: string; changes: { at: number; to: PromiseStatus }[] }[]) {
  if (promises.length === 0) return [];
  const now = new Date();
  const months: string[] = [];
  const first = promises.map((p) => p.said.slice(0, 7)).sort()[0]!;
  for (let i = 0; ; i++) {
    const start = new Date(`${first}-01T00:00:00Z`);
    const month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1));
    if (month.getTime() > now.getTime()) break;
    months.push(month.toISOString().slice(0, 7));
  }
  return months.map((month) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const end = Date.UTC(y, m, 1);
    const counts = Object.fromEntries(PROMISE_STATUSES.map((s) => [s, 0])) as Record<PromiseStatus, number>;
    let total = 0;
    for (const p of promises) {
      if (p.said.slice(0, 7) > month) continue;
      const before = p.changes.filter((c) => c.at < end);
      const status = before.length ? before[before.length - 1]!.to : 'not_rated';
      counts[status] += 1;
      total += 1;
    }
    return { month, counts, total };
  });
}

describe('promises month by month', () => {
  const ctx = useTestApp();

  it('the chart’s monthly counts are what the published status history says, for any history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(promiseArb, { minLength: 1, maxLength: 5 }), async (generated) => {
        const candidate = await createCandidate(ctx.db);
        const expected: { said: string; changes: { at: number; to: PromiseStatus }[] }[] = [];
        for (const g of generated) {
          const said = `${monthOf(g.saidMonth)}-15`;
          const claim = await createClaim(ctx.db, {
            kind: 'promise',
            candidate_id: candidate.id,
            said_on: said,
            workflow_state: g.published ? 'published' : 'draft',
          });
          // Approved in time order, one second apart at most once a day, so "latest" is never a tie.
          const changes = [...g.changes].sort((a, b) => a.day - b.day);
          let from: PromiseStatus = 'not_rated';
          const approved: { at: number; to: PromiseStatus }[] = [];
          for (const [i, change] of changes.entries()) {
            const at = WINDOW_START + change.day * DAY + i * 1000;
            if (change.approved) {
              await approveStatusChange(ctx.db, {
                claim_id: claim.id,
                from,
                to: change.to,
                approved_at: new Date(at),
              });
              approved.push({ at, to: change.to });
              from = change.to;
            } else {
              await rejectStatusChange(ctx.db, { claim_id: claim.id, from, to: change.to });
            }
          }
          if (g.published) expected.push({ said, changes: approved });
        }
        const res = await request(ctx.app).get(`/api/v1/candidates/${candidate.slug}/history`).expect(200);
        expect(res.body.data.months).toEqual(expectedSeries(expected));
      }),
      { numRuns: 5 },
    );
    // Each run writes a few dozen rows through the database; five runs take tens of seconds when busy.
  }, 180_000);

  it('the candidate page draws the series without script and writes its numbers in a table', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      said_on: '2026-10-02',
    });
    await approveStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'not_rated',
      to: 'in_progress',
      approved_at: new Date('2026-11-10T03:00:00Z'),
    });
    const page = await request(ctx.app).get(`/candidates/${candidate.slug}?lang=en`).expect(200);
    expect(page.text).toContain('Promises month by month');
    expect(page.text).toMatch(/<svg class="chart"[^>]*role="img"/);
    const rows = [
      ...page.text.matchAll(
        /<tr><th scope="row"><time datetime="(\d{4}-\d{2})">[^<]*<\/time><\/th>((?:<td>\d+<\/td>)+)<\/tr>/g,
      ),
    ];
    const table = rows.map((r) => [r[1], [...r[2]!.matchAll(/<td>(\d+)<\/td>/g)].map((c) => Number(c[1]))]);
    // Not yet rated, in progress, stalled, compromise, kept, broken, total.
    expect(table[0]).toEqual(['2026-10', [1, 0, 0, 0, 0, 0, 1]]);
    expect(table[1]).toEqual(['2026-11', [0, 1, 0, 0, 0, 0, 1]]);
    const script = page.text.match(/<svg class="chart"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(script).not.toContain('<script');
  });

  it('answers an unknown candidate with a JSON 404', async () => {
    const res = await request(ctx.app).get('/api/v1/candidates/tidak-ada/history').expect(404);
    expect(res.body.error.code).toBeDefined();
  });
});
