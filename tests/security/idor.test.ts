import { describe, expect, it } from 'vitest';
import { createClaim, createEvidence, createUser } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

/**
 * Insecure direct object references: the ids in newsroom URLs are plain numbers anyone can change. Changing
 * one must never reach a record beyond what the role may touch, nor a record through a parent it does not
 * belong to, and an id that is not an id is a 404, never a 500.
 */
describe('ids in newsroom URLs give no access beyond the role', () => {
  const ctx = useNewsroomApp();

  async function auditCount(): Promise<number> {
    const [row] = await ctx.db('audit_log').count<{ count: string | number }[]>('* as count');
    return Number(row!.count);
  }

  it('evidence reached through a claim it does not belong to is not found: not shown, edited or removed', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const mine = await createClaim(ctx.db, { workflow_state: 'draft' });
    const other = await createClaim(ctx.db, { workflow_state: 'draft' });
    const evidence = await createEvidence(ctx.db, { claim_id: other.id });
    const before = await ctx.db('evidence').where({ id: evidence.id }).first();
    const audits = await auditCount();

    await reporter.get(`/newsroom/claims/${mine.id}/evidence/${evidence.id}/edit`).expect(404);
    await reporter
      .post(`/newsroom/claims/${mine.id}/evidence/${evidence.id}/edit`, {
        url: 'https://example.org/diganti',
        title: 'Judul yang diganti',
        publisher: 'Penerbit lain',
        published_on: '2024-11-06',
        stance: 'contradicts',
        version: before.version,
      })
      .expect(404);
    await reporter
      .post(`/newsroom/claims/${mine.id}/evidence/${evidence.id}/remove`, {
        removal_reason: 'Dihapus lewat klaim lain',
        version: before.version,
      })
      .expect(404);

    expect(await ctx.db('evidence').where({ id: evidence.id }).first()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('a proposal cannot rest on evidence of another claim picked by id', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db);
    const other = await createClaim(ctx.db);
    const foreign = await createEvidence(ctx.db, { claim_id: other.id });
    const res = await reporter.post(`/newsroom/claims/${claim.id}/status`, {
      status: 'false',
      note: 'Bertumpu pada bukti klaim lain',
      evidence_ids: [foreign.id],
      version: claim.version,
    });
    expect(res.status).toBe(400);
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toEqual([]);
  });

  it('a reporter cannot approve or reject a proposal by posting its id, not even their own', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'in_progress',
        note: 'Pembangunan sudah dimulai',
        version: claim.version,
      })
      .expect(303);
    const proposal = await ctx.db('status_updates').where({ claim_id: claim.id }).first();
    expect(proposal).toBeTruthy();
    const audits = await auditCount();

    await reporter.post(`/newsroom/status-updates/${proposal.id}/approve`).expect(403);
    await reporter.post(`/newsroom/status-updates/${proposal.id}/reject`, { reason: 'Tidak' }).expect(403);

    expect((await ctx.db('claims').where({ id: claim.id }).first()).status).toBe('not_rated');
    expect(await ctx.db('status_reviews').where({ status_update_id: proposal.id })).toEqual([]);
    expect(await auditCount()).toBe(audits);
  });

  it('reporters and editors cannot reach accounts by id, not even their own, nor raise their role', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const admin = await createUser(ctx.db, { role: 'admin' });

    for (const session of [reporter, editor]) {
      const self = await ctx.db('users').where({ id: session.user.id }).first();
      for (const id of [session.user.id, admin.id]) {
        await session.get(`/newsroom/users/${id}`).expect(403);
        await session
          .post(`/newsroom/users/${id}`, {
            display_name: 'Diambil alih',
            role: 'admin',
            version: self.version,
          })
          .expect(403);
        await session.post(`/newsroom/users/${id}/disable`).expect(403);
        await session
          .post(`/newsroom/users/${id}/password`, { password: 'kata-sandi-baru-yang-panjang' })
          .expect(403);
      }
      expect(await ctx.db('users').where({ id: session.user.id }).first()).toEqual(self);
    }
    const adminAfter = await ctx.db('users').where({ id: admin.id }).first();
    expect(adminAfter).toMatchObject({ role: 'admin', active: true });
  });

  it('a reporter cannot edit a published claim by its id, nor publish or retract one', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db);
    const before = await ctx.db('claims').where({ id: claim.id }).first();

    const edit = await reporter.post(`/newsroom/claims/${claim.id}/edit`, {
      candidate_id: claim.candidate_id,
      kind: claim.kind,
      quote: 'Kutipan yang diganti diam-diam',
      title: 'Judul yang diganti',
      version: claim.version,
    });
    expect(edit.status).toBe(403);
    await reporter
      .post(`/newsroom/claims/${claim.id}/retract`, {
        retraction_reason: 'Coba-coba',
        version: claim.version,
      })
      .expect(403);
    await reporter.post(`/newsroom/claims/${claim.id}/publish`, { version: claim.version }).expect(403);

    expect(await ctx.db('claims').where({ id: claim.id }).first()).toEqual(before);
  });

  it('ids that are not ids, or of nothing, answer 404 and never a 500', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const claim = await createClaim(ctx.db, { workflow_state: 'draft' });
    const notIds = [
      'abc',
      '0',
      '-1',
      '1.5',
      '1e3',
      '0x10',
      '99999999999999999999',
      '2147483648',
      '%20',
      '1%00',
    ];
    for (const id of notIds) {
      for (const path of [
        `/newsroom/claims/${id}`,
        `/newsroom/claims/${id}/edit`,
        `/newsroom/claims/${id}/history`,
        `/newsroom/claims/${id}/evidence`,
        `/newsroom/claims/${id}/status`,
        `/newsroom/claims/${claim.id}/evidence/${id}/edit`,
        `/newsroom/users/${id}`,
        `/newsroom/elections/${id}/edit`,
        `/newsroom/candidates/${id}/edit`,
        `/newsroom/topics/${id}/edit`,
      ]) {
        const res = await admin.get(path);
        expect([400, 404], `${path} answered ${res.status}`).toContain(res.status);
      }
      for (const path of [
        `/newsroom/status-updates/${id}/approve`,
        `/newsroom/claims/${id}/submit`,
        `/newsroom/users/${id}/disable`,
      ]) {
        const res = await admin.post(path, { version: 1 });
        expect([400, 404], `POST ${path} answered ${res.status}`).toContain(res.status);
      }
    }
  });
});
