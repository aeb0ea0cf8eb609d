import request, { type Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { isFinalStatus } from '../../src/features/claims/scales';
import { needsReason } from '../../src/features/term/reasons';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { useNewsroomApp } from '../helpers/newsroom';
import { approvedInOrder, expectNo5xx, statusCounts, useTeam } from './helpers';

// 50 status proposals at once, then 50 approvals at once (with 50 rival approvals and rejections of the
// same proposals racing them), then reporters' proposals and editors' direct changes mixed: every accepted
// change is recorded once, in the order it was applied; none is lost, none duplicated.

const N = 50;
const PROMISE_STEPS = ['in_progress', 'stalled', 'compromise', 'kept', 'broken'] as const;

describe('50 simultaneous status proposals and approvals on one claim', () => {
  const ctx = useNewsroomApp();
  const team = useTeam(ctx);

  async function publicTimelineNotes(slug: string): Promise<string[]> {
    const api = await request(team.http.server).get(`/api/v1/claims/${slug}`).expect(200);
    // Newest first on the page and in the API: reversed, the order they were applied.
    return (api.body.data.timeline as { note: string }[]).map((entry) => entry.note).reverse();
  }

  it('every accepted one is recorded once, in order; none lost, none duplicated', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      election_id: candidate.election_id,
      kind: 'promise',
    });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });

    // 1. Fifty proposals at once, from three reporters.
    const proposals: Response[] = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        team.reporters[i % team.reporters.length]!.post(`/newsroom/claims/${claim.id}/status`, {
          status: PROMISE_STEPS[i % PROMISE_STEPS.length],
          ...(needsReason(PROMISE_STEPS[i % PROMISE_STEPS.length] ?? '')
            ? { reason: 'not_prioritised' }
            : {}),
          note: `Usulan ${i}`,
          evidence_ids: [evidence.id],
        }),
      ),
    );
    expectNo5xx(proposals, 'proposals');
    expect(statusCounts(proposals)).toEqual({ 303: N });
    const stored = await ctx.db('status_updates').where({ claim_id: claim.id }).orderBy('id');
    expect(stored.map((u) => u.note).sort()).toEqual(
      Array.from({ length: N }, (_, i) => `Usulan ${i}`).sort(),
    );
    expect(new Set(stored.map((u) => u.note)).size).toBe(N);
    expect(await ctx.db('audit_log').where({ action: 'status_update.propose' })).toHaveLength(N);

    // 2. Fifty approvals at once, each raced by a second approval or a rejection of the same proposal.
    const decisions: { id: number; kind: 'approve' | 'reject'; res: Promise<Response> }[] = [];
    for (const [i, update] of stored.entries()) {
      const editor = team.editors[i % team.editors.length]!;
      const rival = team.editors[(i + 1) % team.editors.length]!;
      const pair: (typeof decisions)[number][] = [
        { id: update.id, kind: 'approve', res: editor.post(`/newsroom/status-updates/${update.id}/approve`) },
        i % 2 === 0
          ? {
              id: update.id,
              kind: 'approve',
              res: rival.post(`/newsroom/status-updates/${update.id}/approve`),
            }
          : {
              id: update.id,
              kind: 'reject',
              res: rival.post(`/newsroom/status-updates/${update.id}/reject`, { reason: `Tolak ${i}` }),
            },
      ];
      // Requests start in this order: every fourth proposal has its rejection sent first.
      if (i % 4 === 3) pair.reverse();
      decisions.push(...pair);
    }
    const answered = await Promise.all(decisions.map(async (d) => ({ ...d, res: await d.res })));
    expectNo5xx(
      answered.map((d) => d.res),
      'decisions',
    );
    const decisionCounts = statusCounts(answered.map((d) => d.res));
    // At most one decision per proposal wins; the other is told it was already decided (409). An approval
    // of a proposal whose status the claim has by then is refused too (409), and the proposal stays open.
    expect(Object.keys(decisionCounts).sort()).toEqual(['303', '409']);
    let undecided = 0;
    for (const update of stored) {
      const mine = answered.filter((d) => d.id === update.id);
      const won = mine.filter((d) => d.res.status === 303);
      expect(won.length, `update ${update.id}`).toBeLessThanOrEqual(1);
      if (won.length === 0) {
        undecided += 1;
        for (const d of mine) expect(d.res.text, `update ${update.id}`).toContain('sudah berstatus itu');
      }
    }
    expect(decisionCounts[303]).toBe(N - undecided);
    const accepted = answered.filter((d) => d.res.status === 303 && d.kind === 'approve').map((d) => d.id);
    const rejected = answered.filter((d) => d.res.status === 303 && d.kind === 'reject').map((d) => d.id);
    const reviews = await ctx.db('status_reviews').whereIn(
      'status_update_id',
      stored.map((u) => u.id),
    );
    expect(reviews).toHaveLength(N - undecided);
    expect(
      reviews
        .filter((r) => r.decision === 'approved')
        .map((r) => r.status_update_id)
        .sort(),
    ).toEqual([...accepted].sort());
    expect(
      reviews
        .filter((r) => r.decision === 'rejected')
        .map((r) => r.status_update_id)
        .sort(),
    ).toEqual([...rejected].sort());

    // 3. Reporters' proposals and editors' direct changes (approved at once) mixed, all at once.
    const mixed: { direct: boolean; note: string; res: Promise<Response> }[] = [];
    for (let i = 0; i < N; i += 1) {
      const direct = i % 2 === 0;
      const session = direct
        ? team.editors[i % team.editors.length]!
        : team.reporters[i % team.reporters.length]!;
      const note = direct ? `Langsung ${i}` : `Usulan kedua ${i}`;
      mixed.push({
        direct,
        note,
        res: session.post(`/newsroom/claims/${claim.id}/status`, {
          status: PROMISE_STEPS[(i * 2) % PROMISE_STEPS.length],
          ...(needsReason(PROMISE_STEPS[(i * 2) % PROMISE_STEPS.length] ?? '')
            ? { reason: 'not_prioritised' }
            : {}),
          note,
          evidence_ids: [evidence.id],
        }),
      });
    }
    const mixedAnswered = await Promise.all(mixed.map(async (m) => ({ ...m, res: await m.res })));
    expectNo5xx(
      mixedAnswered.map((m) => m.res),
      'mixed',
    );
    // A change to the status the claim has at that moment is refused (400), never stored; others pass.
    for (const m of mixedAnswered) expect([303, 400], m.note).toContain(m.res.status);
    const directAccepted = mixedAnswered.filter((m) => m.direct && m.res.status === 303).map((m) => m.note);
    const proposedAccepted = mixedAnswered
      .filter((m) => !m.direct && m.res.status === 303)
      .map((m) => m.note);
    const refusedNotes = mixedAnswered.filter((m) => m.res.status === 400).map((m) => m.note);
    const all = await ctx.db('status_updates').where({ claim_id: claim.id });
    expect(all).toHaveLength(N + directAccepted.length + proposedAccepted.length);
    for (const note of refusedNotes) expect(all.map((u) => u.note)).not.toContain(note);

    // The record, in the order the changes were applied: each once, each from the status before it.
    const approved = await approvedInOrder(ctx.db, claim.id);
    const expectedNotes = [
      ...stored.filter((u) => accepted.includes(u.id)).map((u) => u.note),
      ...directAccepted,
    ].sort();
    expect(approved.map((a) => a.note).sort()).toEqual(expectedNotes);
    let previous = 'not_rated';
    for (const change of approved) {
      expect(change.applied_from_status, `change ${change.id}`).toBe(previous);
      expect(change.to_status, `change ${change.id} changes nothing`).not.toBe(previous);
      previous = change.to_status;
    }
    const final = await ctx.db('claims').where({ id: claim.id }).first();
    expect(final.status).toBe(previous);
    expect(final.version).toBe(1 + approved.length);

    // The public timeline is exactly that record, in that order; the audit log has one status change each.
    expect(await publicTimelineNotes(claim.slug)).toEqual(approved.map((a) => a.note));
    const statusChanges = await ctx
      .db('audit_log')
      .where({ entity: 'claim', entity_id: claim.id, action: 'claim.status_change' })
      .orderBy('id');
    expect(
      statusChanges.map(
        (row) => (typeof row.after === 'string' ? JSON.parse(row.after) : row.after).status_update_id,
      ),
    ).toEqual(approved.map((a) => a.id));
    // A changed final verdict of a published claim is a public correction, once per such change.
    const corrections = await ctx.db('corrections').where({ claim_id: claim.id, kind: 'verdict_changed' });
    expect(corrections).toHaveLength(
      approved.filter((a) => isFinalStatus(a.applied_from_status) && a.applied_from_status !== a.to_status)
        .length,
    );

    recordFigures('concurrency/status', {
      proposals: N + N,
      decisions: 2 * N,
      conflicts409: decisionCounts[409] ?? 0,
      approved: approved.length,
      rejected: rejected.length,
      leftUndecided: undecided,
      refusedUnchanged400: refusedNotes.length,
      recordsLost: 0,
      duplicated: 0,
    });
  }, 180_000);
});
