import fc from 'fast-check';
import request, { type Response } from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFigures } from '../faults/figures';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { useNewsroomApp } from '../helpers/newsroom';
import { approvedInOrder, expectNo5xx, useTeam } from './helpers';

// Property: whatever the interleaving of edits, proposals, approvals, rejections, direct changes and a
// retraction by several people, sent in concurrent batches over HTTP, after every batch the public
// timeline equals the approved changes in the order they were applied, the claim's status equals the last
// approved one, every accepted request is recorded exactly once and every refused one not at all.

const STATUSES = ['not_rated', 'in_progress', 'stalled', 'compromise', 'kept', 'broken'] as const;

type Op =
  | { kind: 'edit'; who: number }
  | { kind: 'propose'; who: number; status: number }
  | { kind: 'direct'; who: number; status: number }
  | { kind: 'approve'; who: number; pick: number }
  | { kind: 'reject'; who: number; pick: number }
  | { kind: 'retract'; who: number };

const who = fc.nat({ max: 5 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), who }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('propose' as const), who, status: fc.nat({ max: 5 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('direct' as const), who, status: fc.nat({ max: 5 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('approve' as const), who, pick: fc.nat({ max: 20 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('reject' as const), who, pick: fc.nat({ max: 20 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retract' as const), who }) },
);
/** A run: a few batches, each a few requests sent at once. */
const run = fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 5 });

describe('property: random interleavings of the newsroom workflow keep the record straight', () => {
  const ctx = useNewsroomApp();
  const team = useTeam(ctx);
  const figures = { runs: 0, batches: 0, requests: 0, accepted: 0, conflicts409: 0, refused400: 0 };

  afterAll(() => recordFigures('concurrency/interleavings', figures));

  it('after every batch: timeline = approved changes in order, status = last approved, nothing lost or doubled', async () => {
    const candidate = await createCandidate(ctx.db);
    let serial = 0;

    await fc.assert(
      fc.asyncProperty(run, async (batches) => {
        figures.runs += 1;
        const claim = await createClaim(ctx.db, {
          candidate_id: candidate.id,
          election_id: candidate.election_id,
          kind: 'promise',
        });
        const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
        /** Updates whose approval (or direct change) was answered 303, by note. */
        const approvedNotes = new Set<string>();
        /** Proposals answered 303 (approved or not), by note. */
        const storedNotes = new Set<string>();
        let successfulEdits = 0;
        let retracted = false;

        for (const batch of batches) {
          figures.batches += 1;
          const current = await ctx.db('claims').where({ id: claim.id }).first();
          const pending: { id: number }[] = await ctx
            .db('status_updates as u')
            .leftJoin('status_reviews as r', 'r.status_update_id', 'u.id')
            .where('u.claim_id', claim.id)
            .whereNull('r.id')
            .orderBy('u.id')
            .select('u.id');
          const sent = batch.map((o) => {
            serial += 1;
            const note = `Catatan ${serial}`;
            const editor = team.editors[o.who % team.editors.length]!;
            const reporter = team.reporters[o.who % team.reporters.length]!;
            switch (o.kind) {
              case 'edit':
                return {
                  o,
                  note,
                  res: editor.post(`/newsroom/claims/${claim.id}/edit`, {
                    candidate_id: candidate.id,
                    election_id: candidate.election_id,
                    kind: 'promise',
                    title: `Judul ${serial}`,
                    quote: current.quote,
                    version: current.version,
                  }),
                };
              case 'propose':
              case 'direct':
                return {
                  o,
                  note,
                  res: (o.kind === 'direct' ? editor : reporter).post(`/newsroom/claims/${claim.id}/status`, {
                    status: STATUSES[o.status],
                    note,
                    evidence_ids: [evidence.id],
                  }),
                };
              case 'approve':
              case 'reject': {
                const target = pending.length ? pending[o.pick % pending.length]!.id : 999_999;
                return {
                  o,
                  note,
                  target,
                  res:
                    o.kind === 'approve'
                      ? editor.post(`/newsroom/status-updates/${target}/approve`)
                      : editor.post(`/newsroom/status-updates/${target}/reject`, { reason: note }),
                };
              }
              default:
                return {
                  o,
                  note,
                  res: editor.post(`/newsroom/claims/${claim.id}/retract`, {
                    retraction_reason: note,
                    version: current.version,
                  }),
                };
            }
          });
          const answered = await Promise.all(
            sent.map(async (s) => ({ ...s, res: (await s.res) as Response })),
          );
          figures.requests += answered.length;
          expectNo5xx(
            answered.map((a) => a.res),
            'batch',
          );
          for (const a of answered) {
            const status = a.res.status;
            // A change to the status the claim already has: 400. A stale version, a decided proposal, a
            // retracted claim: 409. An approval of a proposal that does not exist: 404. Never anything else.
            expect([303, 400, 404, 409], `${a.o.kind}: ${status} ${a.res.text.slice(0, 200)}`).toContain(
              status,
            );
            if (status === 303) figures.accepted += 1;
            if (status === 409) figures.conflicts409 += 1;
            if (status === 400) figures.refused400 += 1;
            if (status === 404) expect('target' in a && a.target === 999_999).toBe(true);
            if (status !== 303) continue;
            if (a.o.kind === 'edit') successfulEdits += 1;
            if (a.o.kind === 'retract') retracted = true;
            if (a.o.kind === 'propose' || a.o.kind === 'direct') storedNotes.add(a.note);
            if (a.o.kind === 'direct') approvedNotes.add(a.note);
            if (a.o.kind === 'approve' && 'target' in a) {
              const row = await ctx.db('status_updates').where({ id: a.target }).first();
              approvedNotes.add(row.note);
            }
          }
          // At most one edit of a version gets through; a retraction shuts everything after it.
          expect(
            answered.filter((a) => a.o.kind === 'edit' && a.res.status === 303).length,
          ).toBeLessThanOrEqual(1);

          // Invariants, after every batch.
          const approved = await approvedInOrder(ctx.db, claim.id);
          expect(new Set(approved.map((a) => a.note))).toEqual(approvedNotes);
          expect(approved).toHaveLength(approvedNotes.size);
          let previous: string = 'not_rated';
          for (const change of approved) {
            expect(change.applied_from_status).toBe(previous);
            expect(change.to_status).not.toBe(previous);
            previous = change.to_status;
          }
          const now = await ctx.db('claims').where({ id: claim.id }).first();
          expect(now.status).toBe(previous);
          expect(now.workflow_state).toBe(retracted ? 'retracted' : 'published');
          expect(now.version).toBe(1 + successfulEdits + approved.length + (retracted ? 1 : 0));
          const updates = await ctx.db('status_updates').where({ claim_id: claim.id });
          expect(new Set(updates.map((u) => u.note))).toEqual(storedNotes);
          expect(updates).toHaveLength(storedNotes.size);
          const reviews = await ctx.db('status_reviews').whereIn(
            'status_update_id',
            updates.map((u) => u.id),
          );
          expect(new Set(reviews.map((r) => r.status_update_id)).size).toBe(reviews.length);

          const api = await request(team.http.server).get(`/api/v1/claims/${claim.slug}`).expect(200);
          const timeline = (
            api.body.data.timeline as { note: string; from_status: string; to_status: string }[]
          )
            .slice()
            .reverse();
          expect(timeline.map((e) => [e.note, e.from_status, e.to_status])).toEqual(
            approved.map((a) => [a.note, a.applied_from_status, a.to_status]),
          );
          expect(api.body.data.status).toBe(previous);
        }
      }),
      { numRuns: 12 },
    );
  }, 300_000);
});
