import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createEvidence, createUser } from '../helpers/factories';
import { idFromLocation, signInAs, useNewsroomApp } from '../helpers/newsroom';

async function sqlState(work: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('history that loses nothing', () => {
  const ctx = useNewsroomApp();

  it('the database refuses to change or delete status updates, decisions, corrections and the audit log', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const claim = await createClaim(ctx.db, { kind: 'statement', status: 'true' });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Ternyata keliru.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    const update = await ctx.db('status_updates').where({ claim_id: claim.id }).first();
    expect(await ctx.db('corrections').where({ claim_id: claim.id })).toHaveLength(1);

    for (const table of [
      'status_updates',
      'status_update_evidence',
      'status_reviews',
      'corrections',
      'audit_log',
    ]) {
      const column = table === 'status_update_evidence' ? 'evidence_id' : 'created_at';
      const value = table === 'status_update_evidence' ? evidence.id : new Date('2000-01-01');
      expect(await sqlState(ctx.db(table).update({ [column]: value })), `UPDATE ${table}`).toBe('23001');
      expect(await sqlState(ctx.db(table).delete()), `DELETE ${table}`).toBe('23001');
      expect(await sqlState(ctx.db.raw(`TRUNCATE ${table} CASCADE`)), `TRUNCATE ${table}`).toBe('23001');
    }
    expect((await ctx.db('status_updates').where({ id: update.id }).first()).note).toBe('Ternyata keliru.');
  });

  it('every kind of write leaves one audit row, in the same transaction, with who, what, which record, before and after', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const someone = await createUser(ctx.db);

    // Reference data.
    await admin
      .post('/newsroom/elections/new', {
        name: 'Pilkada Audit',
        office: 'Bupati',
        region: 'Kabupaten Audit',
        voting_day: '2024-11-27',
      })
      .expect(303);
    const election = await ctx.db('elections').where({ name: 'Pilkada Audit' }).first();
    await admin
      .post(`/newsroom/elections/${election.id}/edit`, {
        name: 'Pilkada Audit 2024',
        office: 'Bupati',
        region: 'Kabupaten Audit',
        voting_day: '2024-11-27',
        version: 1,
      })
      .expect(303);
    await admin
      .post(`/newsroom/elections/${election.id}/candidates/new`, { name: 'Calon Audit' })
      .expect(303);
    const auditCandidate = await ctx.db('candidates').where({ name: 'Calon Audit' }).first();
    await admin
      .post(`/newsroom/candidates/${auditCandidate.id}/edit`, { name: 'Calon Audit Lengkap', version: 1 })
      .expect(303);
    await reporter.post('/newsroom/topics', { name: 'Topik Audit' }).expect(303);
    const topic = await ctx.db('topics').where({ name: 'Topik Audit' }).first();
    await admin
      .post(`/newsroom/topics/${topic.id}/edit`, { name: 'Topik Audit Baru', version: 1 })
      .expect(303);

    // Claims through their whole life.
    const fields = {
      candidate_id: candidate.id,
      kind: 'statement',
      quote: 'Kutipan audit',
      title: 'Klaim audit',
    };
    const id = idFromLocation(
      (await reporter.post('/newsroom/claims/new', fields).expect(303)).headers.location,
    );
    await reporter
      .post(`/newsroom/claims/${id}/edit`, { ...fields, version: 1, title: 'Klaim audit diubah' })
      .expect(303);
    await reporter.post(`/newsroom/claims/${id}/submit`).expect(303);
    await admin.post(`/newsroom/claims/${id}/return`).expect(303);
    await admin.post(`/newsroom/claims/${id}/publish`).expect(303);
    await reporter
      .post(`/newsroom/claims/${id}/evidence`, {
        url: 'https://example.org/audit',
        title: 'Bukti audit',
        stance: 'supports',
      })
      .expect(303);
    const evidence = await ctx.db('evidence').where({ claim_id: id }).first();
    await reporter
      .post(`/newsroom/claims/${id}/evidence/${evidence.id}/edit`, {
        url: evidence.url,
        title: 'Bukti audit 2',
        stance: 'supports',
        version: 1,
      })
      .expect(303);
    await reporter
      .post(`/newsroom/claims/${id}/evidence`, {
        url: 'https://example.org/audit-2',
        title: 'Bukti kedua',
        stance: 'context',
      })
      .expect(303);
    const second = await ctx.db('evidence').where({ claim_id: id, title: 'Bukti kedua' }).first();
    await reporter
      .post(`/newsroom/claims/${id}/evidence/${second.id}/remove`, { removal_reason: 'Ganda.' })
      .expect(303);
    await reporter
      .post(`/newsroom/claims/${id}/status`, { status: 'true', note: 'Benar.', evidence_ids: [evidence.id] })
      .expect(303);
    const proposal = await ctx.db('status_updates').where({ claim_id: id }).first();
    await admin.post(`/newsroom/status-updates/${proposal.id}/approve`).expect(303);
    await reporter
      .post(`/newsroom/claims/${id}/status`, {
        status: 'unproven',
        note: 'Ragu.',
        evidence_ids: [evidence.id],
      })
      .expect(303);
    const doubt = await ctx.db('status_updates').where({ claim_id: id, to_status: 'unproven' }).first();
    await admin
      .post(`/newsroom/status-updates/${doubt.id}/reject`, { reason: 'Tidak beralasan.' })
      .expect(303);
    await admin.post(`/newsroom/claims/${id}/retract`, { retraction_reason: 'Salah kutip.' }).expect(303);
    await reporter
      .post('/newsroom/import', {
        commit: '1',
        csv: `candidate,kind,quote\n${candidate.slug},promise,Janji impor`,
      })
      .expect(303);

    // Accounts.
    await admin
      .post('/newsroom/users', {
        email: 'akun-audit@redaksi.test',
        display_name: 'Akun Audit',
        role: 'reporter',
        password: 'kata-sandi-panjang-audit',
      })
      .expect(303);
    await admin
      .post(`/newsroom/users/${someone.id}`, { display_name: 'Nama Baru', role: 'editor', version: 1 })
      .expect(303);
    await admin.post(`/newsroom/users/${someone.id}/disable`).expect(303);
    await admin.post(`/newsroom/users/${someone.id}/enable`).expect(303);
    await admin
      .post(`/newsroom/users/${someone.id}/password`, { password: 'kata-sandi-baru-audit-1' })
      .expect(303);
    await reporter.post('/logout').expect(303);

    const rows = await ctx.db('audit_log').orderBy('id');
    const actions = new Set(rows.map((r) => r.action));
    const expected = [
      'election.create',
      'election.update',
      'candidate.create',
      'candidate.update',
      'topic.create',
      'topic.update',
      'claim.create',
      'claim.update',
      'claim.submit',
      'claim.return',
      'claim.publish',
      'claim.retract',
      'claim.import',
      'claim.status_change',
      'evidence.create',
      'evidence.update',
      'evidence.remove',
      'status_update.propose',
      'status_update.approve',
      'status_update.reject',
      'user.create',
      'user.update',
      'user.disable',
      'user.enable',
      'user.password',
      'user.sign_in',
      'user.sign_out',
    ];
    expect([...actions].sort()).toEqual([...expected].sort());
    for (const row of rows) {
      expect(row.actor_id, row.action).toBeTruthy();
      expect(row.entity_id, row.action).toBeTruthy();
      expect(row.request_id, row.action).toBeTruthy();
    }
    const update = rows.find((r) => r.action === 'claim.update')!;
    expect(update.before.title).toBe('Klaim audit');
    expect(update.after.title).toBe('Klaim audit diubah');
    expect(update.actor_id).toBe(reporter.user.id);
    // No password hash ever reaches the log.
    expect(JSON.stringify(rows)).not.toContain('$argon2');
  }, 90_000);

  it('a write whose audit row cannot be written does not happen at all', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await ctx.db.raw(`CREATE FUNCTION refuse_topic_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'topic.create' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`);
    await ctx.db.raw(
      'CREATE TRIGGER refuse_topic_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_topic_audit()',
    );
    try {
      await reporter.post('/newsroom/topics', { name: 'Topik tanpa jejak' }).expect(500);
    } finally {
      await ctx.db.raw('DROP TRIGGER refuse_topic_audit ON audit_log');
      await ctx.db.raw('DROP FUNCTION refuse_topic_audit()');
    }
    expect(await ctx.db('topics').where({ name: 'Topik tanpa jejak' })).toHaveLength(0);
  });

  it('the revision history page shows who changed which field from what to what', async () => {
    const alice = await signInAs(ctx.app, ctx.db, 'reporter', { display_name: 'Alice Sejarah' });
    const candidate = await createCandidate(ctx.db);
    const fields = { candidate_id: candidate.id, kind: 'statement', quote: 'Kutipan sejarah' };
    const id = idFromLocation(
      (await alice.post('/newsroom/claims/new', { ...fields, title: 'Judul pertama' }).expect(303)).headers
        .location,
    );
    await alice
      .post(`/newsroom/claims/${id}/edit`, { ...fields, version: 1, title: 'Judul kedua' })
      .expect(303);
    const page = await alice.get(`/newsroom/claims/${id}/history`).expect(200);
    expect(page.text).toContain('Alice Sejarah');
    expect(page.text).toContain('mencatat klaim');
    expect(page.text).toContain('mengubah klaim');
    expect(page.text).toMatch(/<th scope="row">Judul<\/th><td>Judul pertama<\/td><td>Judul kedua<\/td>/);
  });

  it('the audit page lists writes for admins, filterable by record, with who and when', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin', { display_name: 'Admin Audit' });
    await admin.post('/newsroom/topics', { name: 'Topik Untuk Log' }).expect(303);
    const topic = await ctx.db('topics').where({ name: 'Topik Untuk Log' }).first();
    const page = await admin.get(`/newsroom/audit?entity=topic&entity_id=${topic.id}`).expect(200);
    expect(page.text).toContain('Admin Audit');
    expect(page.text).toContain('(topic.create)');
    expect(page.text).not.toContain('(user.sign_in)');
    const en = await admin.get('/newsroom/audit?lang=en').expect(200);
    expect(en.text).toContain('Audit log');
  });
});
