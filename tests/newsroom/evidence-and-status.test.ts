import { describe, expect, it } from 'vitest';
import { createClaim, createEvidence } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('evidence', () => {
  const ctx = useNewsroomApp();

  it('is added with http or https links only, every field kept, and listed on the claim’s evidence page', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { workflow_state: 'draft' });
    for (const url of ['javascript:alert(1)', 'ftp://example.org/x', 'data:text/html,x', 'https://a b']) {
      const res = await reporter
        .post(`/newsroom/claims/${claim.id}/evidence`, { url, title: 'Bukti', stance: 'supports' })
        .expect(400);
      expect(res.text).toContain('Hanya alamat http:// atau https:// yang lengkap.');
    }
    const bad = await reporter
      .post(`/newsroom/claims/${claim.id}/evidence`, {
        url: 'https://example.org/a',
        title: 'Bukti',
        stance: 'agrees',
      })
      .expect(400);
    expect(bad.text).toContain('Pilihan tidak dikenal.');
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence`, {
        url: 'https://example.org/laporan',
        title: 'Laporan kinerja',
        publisher: 'BPS',
        published_on: '2024-01-31',
        archive_url: 'https://web.archive.org/web/2024/https://example.org/laporan',
        excerpt: 'Jumlah perangkat daerah: 30.',
        stance: 'contradicts',
      })
      .expect(303);
    const [row] = await ctx.db('evidence').where({ claim_id: claim.id });
    expect(row).toMatchObject({
      url: 'https://example.org/laporan',
      title: 'Laporan kinerja',
      publisher: 'BPS',
      published_on: '2024-01-31',
      archive_url: 'https://web.archive.org/web/2024/https://example.org/laporan',
      excerpt: 'Jumlah perangkat daerah: 30.',
      stance: 'contradicts',
      added_by: reporter.user.id,
    });
    const page = await reporter.get(`/newsroom/claims/${claim.id}/evidence`).expect(200);
    expect(page.text).toContain('Laporan kinerja');
  });

  it('is edited against its version (a stale edit is 409), and removing it hides it but keeps it, with a reason', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { workflow_state: 'draft' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id, title: 'Judul lama' });
    const edit = { url: evidence.url, title: 'Judul baru', stance: 'supports' };
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/edit`, { ...edit, version: 1 })
      .expect(303);
    const stale = await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/edit`, {
        ...edit,
        title: 'Judul basi',
        version: 1,
      })
      .expect(409);
    expect(stale.text).toContain('value="Judul basi"');
    expect((await ctx.db('evidence').where({ id: evidence.id }).first()).title).toBe('Judul baru');

    const noReason = await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, {})
      .expect(400);
    expect(noReason.text).toContain('Wajib diisi.');
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, {
        removal_reason: 'Tautan salah.',
      })
      .expect(303);
    const removed = await ctx.db('evidence').where({ id: evidence.id }).first();
    expect(removed).toMatchObject({
      title: 'Judul baru',
      removal_reason: 'Tautan salah.',
      removed_by: reporter.user.id,
    });
    expect(removed.removed_at).toBeTruthy();
    const page = await reporter.get(`/newsroom/claims/${claim.id}/evidence`).expect(200);
    expect(page.text).toContain('Disembunyikan');
    expect(page.text).toContain('Tautan salah.');
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, { removal_reason: 'Lagi' })
      .expect(409);
  });

  it('that a status change rests on cannot be rewritten; only an editor may hide it once a verdict rests on it', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'statement' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Data resmi membantah.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/edit`, {
        url: evidence.url,
        title: 'Diubah',
        stance: 'supports',
        version: 1,
      })
      .expect(409);
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, { removal_reason: 'x' })
      .expect(403);
    await editor
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, {
        removal_reason: 'Sumber dicabut.',
      })
      .expect(303);
  });

  it('belongs to its claim: another claim’s evidence is not found there', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db);
    const other = await createClaim(ctx.db);
    const evidence = await createEvidence(ctx.db, { claim_id: other.id });
    await reporter.get(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/edit`).expect(404);
  });
});

describe('status changes', () => {
  const ctx = useNewsroomApp();

  it('a final rating needs at least one piece of evidence; a non-final one does not', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    const res = await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'kept', note: 'Sudah selesai.' })
      .expect(400);
    expect(res.text).toContain('Penilaian akhir harus bertumpu pada sedikitnya satu bukti');
    expect(res.text).toContain('Sudah selesai.');
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'in_progress', note: 'Proyek dimulai.' })
      .expect(303);
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(1);
  });

  it('refuses a status off the kind’s scale, the current status, a missing note and evidence of another claim or hidden', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const claim = await createClaim(ctx.db, { kind: 'statement' });
    const other = await createClaim(ctx.db);
    const foreign = await createEvidence(ctx.db, { claim_id: other.id });
    const hidden = await createEvidence(ctx.db, { claim_id: claim.id });
    await ctx.db('evidence').where({ id: hidden.id }).update({ removed_at: new Date(), removal_reason: 'x' });
    await reporter.post(`/newsroom/claims/${claim.id}/status`, { status: 'kept', note: 'x' }).expect(400);
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'unverified', note: 'x' })
      .expect(400);
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'unproven', note: '  ' })
      .expect(400);
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'false', note: 'x', evidence_ids: [foreign.id] })
      .expect(400);
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'false', note: 'x', evidence_ids: [hidden.id] })
      .expect(400);
    expect(await ctx.db('status_updates').where({ claim_id: claim.id })).toHaveLength(0);
  });

  it('a reporter’s change is a proposal; an editor rejects it with a required reason, and it stays in the record', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'statement' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'misleading',
        note: 'Angka dipilih-pilih.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    const [update] = await ctx.db('status_updates').where({ claim_id: claim.id });
    expect(update).toMatchObject({
      from_status: 'unverified',
      to_status: 'misleading',
      proposed_by: reporter.user.id,
    });
    expect((await ctx.db('claims').where({ id: claim.id }).first()).status).toBe('unverified');

    await reporter.post(`/newsroom/status-updates/${update.id}/approve`).expect(403);
    const noReason = await editor
      .post(`/newsroom/status-updates/${update.id}/reject`, { reason: '' })
      .expect(400);
    expect(noReason.text).toContain('Wajib diisi.');
    await editor
      .post(`/newsroom/status-updates/${update.id}/reject`, { reason: 'Butuh sumber primer.' })
      .expect(303);
    expect(await ctx.db('status_reviews').where({ status_update_id: update.id }).first()).toMatchObject({
      decision: 'rejected',
      reason: 'Butuh sumber primer.',
      applied_from_status: null,
    });
    expect((await ctx.db('claims').where({ id: claim.id }).first()).status).toBe('unverified');
    await editor.post(`/newsroom/status-updates/${update.id}/approve`).expect(409);
    const page = await reporter.get(`/newsroom/claims/${claim.id}`).expect(200);
    expect(page.text).toContain('Butuh sumber primer.');
    expect(page.text).toContain('Ditolak');
  });

  it('approval refuses a final rating whose evidence was hidden since the proposal', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'statement' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'true',
        note: 'Sesuai data.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    await reporter
      .post(`/newsroom/claims/${claim.id}/evidence/${evidence.id}/remove`, {
        removal_reason: 'Salah tautan.',
      })
      .expect(303);
    const [update] = await ctx.db('status_updates').where({ claim_id: claim.id });
    const res = await editor.post(`/newsroom/status-updates/${update.id}/approve`).expect(409);
    expect(res.text).toContain('Penilaian akhir harus bertumpu');
    expect((await ctx.db('claims').where({ id: claim.id }).first()).status).toBe('unverified');
    expect(await ctx.db('status_reviews').where({ status_update_id: update.id })).toHaveLength(0);
  });

  it('approval records the status just before it (applied_from_status), even if it moved since the proposal', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await reporter
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'kept',
        note: 'Selesai.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, { status: 'in_progress', note: 'Sedang berjalan.' })
      .expect(303);
    const proposal = await ctx.db('status_updates').where({ claim_id: claim.id, to_status: 'kept' }).first();
    expect(proposal.from_status).toBe('not_rated');
    await editor.post(`/newsroom/status-updates/${proposal.id}/approve`).expect(303);
    const review = await ctx.db('status_reviews').where({ status_update_id: proposal.id }).first();
    expect(review.applied_from_status).toBe('in_progress');
    const after = await ctx.db('claims').where({ id: claim.id }).first();
    expect(after.status).toBe('kept');
    expect(after.version).toBe(claim.version + 2);
  });
});
