import { describe, expect, it } from 'vitest';
import { createClaim, createEvidence } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

async function sqlState(work: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('the reason a promise broke, stalled or was kept in part', () => {
  const ctx = useNewsroomApp();

  async function promiseWithEvidence() {
    const claim = await createClaim(ctx.db, { kind: 'promise', status: 'in_progress' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    return { claim, evidence };
  }

  it('is required for broken, stalled and compromise: without one the form comes back with 400 and nothing is stored', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    for (const status of ['broken', 'stalled', 'compromise']) {
      const { claim, evidence } = await promiseWithEvidence();
      const res = await editor
        .post(`/newsroom/claims/${claim.id}/status`, {
          status,
          note: 'Tidak ada di APBD 2026.',
          evidence_ids: [evidence.id],
          version: claim.version,
        })
        .expect(400);
      expect(res.text).toContain('Pilih alasan: wajib untuk status Mandek, Ditepati sebagian dan Diingkari.');
      expect(res.text).toContain('Tidak ada di APBD 2026.');
      expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(0);
      expect((await ctx.db('claims').where({ id: claim.id }).first()).status).toBe('in_progress');
    }
  });

  it('is refused for any other status, in the reader’s language', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim, evidence } = await promiseWithEvidence();
    const res = await editor
      .post(`/newsroom/claims/${claim.id}/status?lang=en`, {
        status: 'kept',
        reason: 'no_budget',
        note: 'Selesai dibangun.',
        evidence_ids: [evidence.id],
      })
      .expect(400);
    expect(res.text).toContain('A reason is only for Stalled, Compromise and Broken');
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(0);
  });

  it('comes from the list; "other" needs its text and only "other" takes one', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { claim, evidence } = await promiseWithEvidence();
    const base = { status: 'broken', note: 'Dibatalkan.', evidence_ids: [evidence.id] };
    const unknown = await editor
      .post(`/newsroom/claims/${claim.id}/status`, { ...base, reason: 'weather' })
      .expect(400);
    expect(unknown.text).toContain('Pilihan tidak dikenal.');
    await editor.post(`/newsroom/claims/${claim.id}/status`, { ...base, reason: 'other' }).expect(400);
    const stray = await editor
      .post(`/newsroom/claims/${claim.id}/status`, { ...base, reason: 'no_budget', reason_text: 'x' })
      .expect(400);
    expect(stray.text).toContain('Teks alasan hanya diisi bila alasannya');
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(0);

    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        ...base,
        reason: 'other',
        reason_text: 'Lahan dipakai untuk jalan tol.',
      })
      .expect(303);
    const [update] = await ctx.db('status_updates').where({ claim_id: claim.id });
    expect(update).toMatchObject({
      to_status: 'broken',
      reason_code: 'other',
      reason_text: 'Lahan dipakai untuk jalan tol.',
    });
    const page = await editor.get(`/newsroom/claims/${claim.id}/status`).expect(200);
    expect(page.text).toContain('Lainnya (Lahan dipakai untuk jalan tol.)');
  });

  it('is enforced by the database as well', async () => {
    const { claim } = await promiseWithEvidence();
    const row = { claim_id: claim.id, from_status: 'in_progress', note: 'Langsung ke basis data' };
    const insert = (fields: Record<string, unknown>) =>
      ctx.db('status_updates').insert({ ...row, ...fields });
    expect(await sqlState(insert({ to_status: 'broken' }))).toBe('23514');
    expect(await sqlState(insert({ to_status: 'kept', reason_code: 'no_budget' }))).toBe('23514');
    expect(await sqlState(insert({ to_status: 'stalled', reason_code: 'weather' }))).toBe('23514');
    expect(await sqlState(insert({ to_status: 'stalled', reason_code: 'other' }))).toBe('23514');
    expect(await sqlState(insert({ to_status: 'stalled', reason_code: 'no_budget', reason_text: 'x' }))).toBe(
      '23514',
    );
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(0);
    expect(await sqlState(insert({ to_status: 'stalled', reason_code: 'blocked_by_dprd' }))).toBeUndefined();
  });
});
