import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import {
  createCandidate,
  createClaim,
  createElection,
  createEvidence,
  createTopic,
} from '../helpers/factories';
import { createRatedClaim, hideEvidence } from '../helpers/public-factories';
import { warmUp } from '../public/warm-up';

describe('the JSON API (/api/v1)', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  it('lists elections with their candidates and scoreboards', async () => {
    const election = await createElection(ctx.db, { name: 'Pilkada API 2024' });
    const candidate = await createCandidate(ctx.db, {
      election_id: election.id,
      name: 'Calon API',
      ballot_number: 1,
    });
    await createRatedClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise', status: 'kept' });
    await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise' });
    const res = await request(ctx.app).get('/api/v1/elections?lang=en').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const found = res.body.data.find((e: { slug: string }) => e.slug === election.slug);
    expect(found).toMatchObject({
      name: 'Pilkada API 2024',
      url: `https://kawal.test/elections/${election.slug}`,
      voting_day: '2024-11-27',
      candidates: [{ slug: candidate.slug, name: 'Calon API', ballot_number: 1 }],
      scoreboard: { total: 2, scales: [{ kind: 'promise', total: 2 }] },
    });
    const kept = found.scoreboard.scales[0].statuses.find((s: { status: string }) => s.status === 'kept');
    expect(kept).toEqual({ status: 'kept', status_label: 'Kept', count: 1, percent: 50 });
  });

  it('lists claims with the /claims filters and the fields of the contract', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const topic = await createTopic(ctx.db, { name: 'Birokrasi' });
    const { claim } = await createRatedClaim(ctx.db, {
      candidate_id: candidate.id,
      status: 'false',
      topic_ids: [topic.id],
    });
    await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'promise' });
    const res = await request(ctx.app)
      .get(`/api/v1/claims?election=${election.slug}&status=false&topic=${topic.slug}&lang=en`)
      .expect(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      slug: claim.slug,
      url: `https://kawal.test/claims/${claim.slug}`,
      kind: 'statement',
      status: 'false',
      status_label: 'False',
      title: claim.title,
      quote: claim.quote,
      said_on: '2024-11-04',
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      candidate: { slug: candidate.slug, name: candidate.name },
      election: { slug: election.slug, name: election.name },
      topics: [{ slug: topic.slug, name: 'Birokrasi' }],
    });
    expect(res.body.links).toEqual({ first: expect.any(String), next: null });
    expect(res.body.meta.total).toBe(1);
  });

  it('follows next links to the end without losing or repeating a claim', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const made = new Set<string>();
    for (let i = 0; i < 7; i += 1) made.add((await createClaim(ctx.db, { candidate_id: candidate.id })).slug);
    const seen: string[] = [];
    let next: string | null = `https://kawal.test/api/v1/claims?election=${election.slug}&per_page=3`;
    let pages = 0;
    while (next) {
      const res: request.Response = await request(ctx.app)
        .get(next.replace('https://kawal.test', ''))
        .expect(200);
      seen.push(...res.body.data.map((c: { slug: string }) => c.slug));
      if (res.body.links.next) expect(res.headers.link).toBe(`<${res.body.links.next}>; rel="next"`);
      next = res.body.links.next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(made);
  });

  it('gives one claim with its timeline and visible evidence', async () => {
    const { claim, evidence } = await createRatedClaim(ctx.db, {
      status: 'mostly_true',
      note: 'Angka sesuai.',
    });
    const hidden = await createEvidence(ctx.db, { claim_id: claim.id, title: 'Dicabut' });
    await hideEvidence(ctx.db, hidden.id);
    const res = await request(ctx.app).get(`/api/v1/claims/${claim.slug}`).expect(200);
    expect(res.body.data.timeline).toEqual([
      {
        from_status: 'unverified',
        from_label: 'Belum diverifikasi',
        to_status: 'mostly_true',
        to_label: 'Sebagian besar benar',
        note: 'Angka sesuai.',
        reason: null,
        reason_label: null,
        reason_text: null,
        approved_at: expect.any(String),
        evidence_ids: [evidence[0]!.id],
      },
    ]);
    expect(res.body.data.evidence.map((e: { id: number }) => e.id)).toEqual([evidence[0]!.id]);
    expect(res.body.data.evidence[0]).toMatchObject({ url: evidence[0]!.url, stance: 'supports' });
    expect(res.body.data.retracted).toBe(false);
  });

  it('is open to every origin for reading, including the preflight of a conditional request', async () => {
    const res = await request(ctx.app)
      .get('/api/v1/claims')
      .set('Origin', 'https://other.example')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('ETag');
    const preflight = await request(ctx.app)
      .options('/api/v1/claims')
      .set('Origin', 'https://other.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'if-none-match')
      .expect(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toContain('If-None-Match');
    const missing = await request(ctx.app).get('/api/v1/claims/tidak-ada').expect(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
  });

  it('answers bad parameters and unknown paths with a JSON error and the matching status', async () => {
    const bad = await request(ctx.app).get('/api/v1/claims?status=benar&per_page=1000').expect(400);
    expect(bad.body).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.any(String),
        details: { fields: { status: 'invalid', per_page: 'invalid' } },
      },
    });
    const none = await request(ctx.app).get('/api/v1/nothing').expect(404);
    expect(none.body.error.code).toBe('not_found');
    await request(ctx.app).post('/api/v1/claims').expect(404);
  });
});
