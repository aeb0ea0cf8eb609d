import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createCandidate } from '../helpers/factories';
import type { NewsroomSession } from '../helpers/newsroom';
import { useNewsroomApp } from '../helpers/newsroom';
import { parse } from '../hostile/dom';
import { expectNo5xx, listen, signInOn, statusCounts } from './helpers';

// 50 saves of the same claim at the same version, all at once, over HTTP with real sessions: exactly one
// is stored, the 49 others are told of the conflict (409) and store nothing; the claim, its revision
// history and the audit log tell the same story.

const WRITERS = 50;
const SESSIONS = 5;

describe('50 simultaneous saves of one claim at one version', () => {
  const ctx = useNewsroomApp();
  let http: ReturnType<typeof listen>;
  let writers: NewsroomSession[];
  let candidateId: number;
  let electionId: number;

  beforeAll(async () => {
    http = listen(ctx.app);
    writers = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      writers.push(await signInOn(http.server, ctx.db, i % 2 === 0 ? 'reporter' : 'editor', `Penulis ${i}`));
    }
    const candidate = await createCandidate(ctx.db);
    candidateId = candidate.id;
    electionId = candidate.election_id;
  });

  afterAll(async () => {
    await http?.close();
  });

  async function newDraft(title: string): Promise<number> {
    const res = await writers[0]!.post('/newsroom/claims/new', {
      candidate_id: candidateId,
      election_id: electionId,
      kind: 'statement',
      title,
      quote: 'Kutipan yang sama untuk semua',
      after_save: 'open',
      // The same quote for every draft: past the question about a possible duplicate.
      confirm_duplicates: '1',
    });
    expect(res.status).toBe(303);
    return Number(/claims\/(\d+)/.exec(res.headers.location ?? '')![1]);
  }

  function save(session: NewsroomSession, id: number, title: string, version: number) {
    return session.post(`/newsroom/claims/${id}/edit`, {
      candidate_id: candidateId,
      election_id: electionId,
      kind: 'statement',
      title,
      quote: 'Kutipan yang sama untuk semua',
      summary: `Ringkasan dari ${title}`,
      version,
    });
  }

  it('exactly one succeeds, 49 get 409, and the claim, its history and the audit log agree', async () => {
    const id = await newDraft('Judul awal');
    const before = await ctx.db('claims').where({ id }).first();
    expect(before.version).toBe(1);

    const started = Date.now();
    const titles = Array.from({ length: WRITERS }, (_, i) => `Versi penulis ${i + 1}`);
    const responses: Response[] = await Promise.all(
      titles.map((title, i) => save(writers[i % SESSIONS]!, id, title, before.version)),
    );
    const elapsed = Date.now() - started;

    expectNo5xx(responses, 'simultaneous saves');
    const counts = statusCounts(responses);
    expect(counts).toEqual({ 303: 1, 409: WRITERS - 1 });
    const winner = titles[responses.findIndex((res) => res.status === 303)]!;

    // Each refusal is the form again, showing the conflict and carrying the current version.
    for (const res of responses.filter((r) => r.status === 409)) {
      const doc = parse(res.text);
      expect(doc.querySelector('.nr-conflict')).not.toBeNull();
      expect(doc.querySelector('input[name="version"]')?.getAttribute('value')).toBe('2');
    }

    const after = await ctx.db('claims').where({ id }).first();
    expect(after).toMatchObject({ version: 2, title: winner, summary: `Ringkasan dari ${winner}` });

    // The audit log: the creation and one update, from version 1 to 2, with the winner's values.
    const audit = await ctx.db('audit_log').where({ entity: 'claim', entity_id: id }).orderBy('id');
    expect(audit.map((row) => row.action)).toEqual(['claim.create', 'claim.update']);
    const update = audit[1]!;
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
    expect(json(update.before)).toMatchObject({ version: 1, title: 'Judul awal' });
    expect(json(update.after)).toMatchObject({ version: 2, title: winner });

    // The revision history page shows the same single change.
    const history = await writers[0]!.get(`/newsroom/claims/${id}/history`).expect(200);
    const text = parse(history.text).body.textContent ?? '';
    expect(text).toContain(winner);
    for (const loser of titles.filter((t) => t !== winner)) expect(text).not.toContain(loser);

    // A second round against the new version: again exactly one.
    const second: Response[] = await Promise.all(
      titles.map((title, i) => save(writers[i % SESSIONS]!, id, `${title} (2)`, 2)),
    );
    expectNo5xx(second, 'second round');
    expect(statusCounts(second)).toEqual({ 303: 1, 409: WRITERS - 1 });
    expect((await ctx.db('claims').where({ id }).first()).version).toBe(3);
    expect(
      await ctx.db('audit_log').where({ entity: 'claim', entity_id: id, action: 'claim.update' }),
    ).toHaveLength(2);

    recordFigures('concurrency/saves', {
      concurrentWrites: WRITERS * 2,
      succeeded: 2,
      conflicts409: counts[409]! + statusCounts(second)[409]!,
      recordsLost: 0,
      firstRoundMs: elapsed,
    });
  }, 120_000);

  it('50 simultaneous saves of 50 different claims all succeed: no false conflicts, nothing lost', async () => {
    const ids: number[] = [];
    for (let i = 0; i < WRITERS; i += 1) ids.push(await newDraft(`Klaim ${i}`));
    const responses: Response[] = await Promise.all(
      ids.map((id, i) => save(writers[i % SESSIONS]!, id, `Klaim ${i} diubah`, 1)),
    );
    expectNo5xx(responses, 'saves of different claims');
    expect(statusCounts(responses)).toEqual({ 303: WRITERS });
    const rows = await ctx.db('claims').whereIn('id', ids).orderBy('id');
    expect(rows.map((r) => [r.title, r.version])).toEqual(ids.map((_, i) => [`Klaim ${i} diubah`, 2]));
    expect(
      await ctx.db('audit_log').whereIn('entity_id', ids).where({ entity: 'claim', action: 'claim.update' }),
    ).toHaveLength(WRITERS);
  }, 120_000);
});
