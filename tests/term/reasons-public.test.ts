import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { StatusReason } from '../../src/features/term/reasons';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { approveStatusChange } from '../helpers/public-factories';

describe('why a promise was not kept, in public', () => {
  const ctx = useTestApp();

  async function ratedPromise(
    candidateId: number,
    to: 'broken' | 'stalled' | 'compromise' | 'kept',
    reason?: StatusReason,
    reason_text?: string,
  ) {
    const claim = await createClaim(ctx.db, { kind: 'promise', candidate_id: candidateId });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await approveStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'not_rated',
      to,
      evidence_ids: [evidence.id],
      ...(reason ? { reason } : {}),
      ...(reason_text ? { reason_text } : {}),
    });
    return claim;
  }

  it('shows on the verdict page, beside the rating and in the timeline, and in the API', async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await ratedPromise(candidate.id, 'broken', 'other', 'Lahan dipakai jalan tol.');
    const page = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    const shown = page.text.match(/<strong>Mengapa:<\/strong> Lainnya: Lahan dipakai jalan tol\./g) ?? [];
    expect(shown).toHaveLength(2);
    const api = await request(ctx.app).get(`/api/v1/claims/${claim.slug}?lang=en`).expect(200);
    expect(api.body.data.timeline[0]).toMatchObject({
      to_status: 'broken',
      reason: 'other',
      reason_label: 'Other',
      reason_text: 'Lahan dipakai jalan tol.',
    });
  });

  it('is a column of the CSV, empty where the status needs none', async () => {
    const candidate = await createCandidate(ctx.db);
    const stalled = await ratedPromise(candidate.id, 'stalled', 'blocked_by_dprd');
    const kept = await ratedPromise(candidate.id, 'kept');
    const res = await request(ctx.app)
      .get(`/claims.csv?candidate=${candidate.slug}`)
      .buffer(true)
      .expect(200);
    const [header, ...rows]: string[][] = parse(res.text);
    const at = (name: string) => header!.indexOf(name);
    const bySlug = new Map(rows.map((r) => [r[at('slug')], r]));
    expect(bySlug.get(stalled.slug)?.[at('reason')]).toBe('blocked_by_dprd');
    expect(bySlug.get(kept.slug)?.[at('reason')]).toBe('');
  });

  it('is counted on the candidate page, by the reason each promise has its status for now', async () => {
    const candidate = await createCandidate(ctx.db);
    await ratedPromise(candidate.id, 'broken', 'no_budget');
    await ratedPromise(candidate.id, 'compromise', 'no_budget');
    await ratedPromise(candidate.id, 'stalled', 'position_changed');
    await ratedPromise(candidate.id, 'kept');
    // Moved on since: its earlier reason no longer counts.
    const moved = await ratedPromise(candidate.id, 'stalled', 'blocked_by_dprd');
    await approveStatusChange(ctx.db, { claim_id: moved.id, from: 'stalled', to: 'in_progress' });
    const page = await request(ctx.app).get(`/candidates/${candidate.slug}?lang=en`).expect(200);
    expect(page.text).toContain('Why promises were not kept');
    expect(page.text).toContain('No budget: <strong>2</strong>');
    expect(page.text).toContain('Position changed: <strong>1</strong>');
    expect(page.text).not.toContain('Blocked by the regional council');
  });
});
