import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createEvidence } from '../helpers/factories';
import { formBody, signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('CSRF protection', () => {
  const ctx = useNewsroomApp();

  it('refuses every kind of newsroom write without the session’s token, and changes nothing', async () => {
    const admin = await signInAs(ctx.app, ctx.db, 'admin');
    const other = await signInAs(ctx.app, ctx.db, 'editor');
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      workflow_state: 'in_review',
      kind: 'statement',
    });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    const writes: [string, Record<string, string | number>][] = [
      ['/newsroom/claims/new', { candidate_id: candidate.id, kind: 'statement', quote: 'Tanpa token' }],
      [`/newsroom/claims/${claim.id}/publish`, {}],
      [
        `/newsroom/claims/${claim.id}/evidence`,
        { url: 'https://example.org/x', title: 'x', stance: 'supports' },
      ],
      [`/newsroom/claims/${claim.id}/status`, { status: 'false', note: 'x', evidence_ids: evidence.id }],
      ['/newsroom/topics', { name: 'Topik tanpa token' }],
      [
        '/newsroom/users',
        {
          email: 'baru@redaksi.test',
          display_name: 'Baru',
          role: 'admin',
          password: 'kata-sandi-panjang-sekali',
        },
      ],
      ['/newsroom/import', { csv: 'candidate,kind,quote\n1,statement,x' }],
      ['/newsroom/finder', { election_id: '1', text: '"Kami akan membangun sepuluh jembatan," kata Budi.' }],
      [
        '/newsroom/finder/save',
        { election_id: '1', keep: '0', quote_0: 'x', candidate_id_0: '1', kind_0: 'statement' },
      ],
    ];
    for (const [url, fields] of writes) {
      const missing = await admin.agent.post(url).type('form').send(formBody(fields));
      expect(missing.status, url).toBe(403);
      expect(missing.text).toContain('Formulir tidak dapat diterima');
      const wrong = await admin.agent
        .post(url)
        .type('form')
        .send(formBody({ ...fields, _csrf: 'a'.repeat(256) }));
      expect(wrong.status, url).toBe(403);
      // Another signed-in account's token is no good either.
      const foreign = await admin.agent
        .post(url)
        .type('form')
        .send(formBody({ ...fields, _csrf: other.csrf }));
      expect(foreign.status, url).toBe(403);
    }
    expect(await ctx.db('claims').where({ quote: 'Tanpa token' })).toHaveLength(0);
    expect((await ctx.db('claims').where({ id: claim.id }).first()).workflow_state).toBe('in_review');
    expect(await ctx.db('status_updates')).toHaveLength(0);
    expect(await ctx.db('topics').where({ name: 'Topik tanpa token' })).toHaveLength(0);
    expect(await ctx.db('users').where({ email: 'baru@redaksi.test' })).toHaveLength(0);
    expect(await ctx.db('audit_log').whereNot('action', 'like', 'user.sign_%')).toHaveLength(0);
  });

  it('accepts the token in the form body or in an X-CSRF-Token header', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.post('/newsroom/topics', { name: 'Topik lewat formulir' }).expect(303);
    await reporter.agent
      .post('/newsroom/topics')
      .set('X-CSRF-Token', reporter.csrf)
      .type('form')
      .send(formBody({ name: 'Topik lewat header' }))
      .expect(303);
    expect(
      await ctx.db('topics').whereIn('name', ['Topik lewat formulir', 'Topik lewat header']),
    ).toHaveLength(2);
  });

  it('checks the token on a multipart upload too', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const csv = Buffer.from('candidate,kind,quote\nx,statement,y\n');
    await reporter.agent.post('/newsroom/import').attach('file', csv, 'klaim.csv').expect(403);
    const ok = await reporter.agent
      .post('/newsroom/import')
      .field('_csrf', reporter.csrf)
      .attach('file', csv, 'klaim.csv');
    expect(ok.status).toBe(400);
    expect(ok.text).toContain('Kandidat dengan slug atau id ini tidak ada.');
    const captions = Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nKami akan membangun jembatan.\n');
    await reporter.agent.post('/newsroom/finder').attach('file', captions, 'debat.srt').expect(403);
  });

  it('a cross-site form post carries no session cookie (SameSite=Lax) and is treated as signed out', async () => {
    const res = await request(ctx.app)
      .post('/newsroom/topics')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send(formBody({ name: 'Dari luar' }));
    expect(res.status).toBe(401);
  });
});
