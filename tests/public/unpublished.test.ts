import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Claim } from '../../src/features/claims/claims.types';
import { useTestApp } from '../helpers/app';
import { createCandidate, createElection } from '../helpers/factories';
import { createRatedClaim } from '../helpers/public-factories';
import { warmUp } from './warm-up';

describe('only published content is public', () => {
  const ctx = useTestApp();
  warmUp(ctx);
  const claims = {} as Record<'published' | 'draft' | 'in_review' | 'retracted', Claim>;
  let election: { id: number; slug: string };
  let candidate: { id: number; slug: string };

  beforeAll(async () => {
    election = await createElection(ctx.db);
    candidate = await createCandidate(ctx.db, { election_id: election.id });
    // Every claim is rated through an approved status change, so each would show in the feed if it leaked.
    for (const state of ['published', 'draft', 'in_review', 'retracted'] as const) {
      const { claim } = await createRatedClaim(ctx.db, {
        candidate_id: candidate.id,
        status: 'false',
        title: `Klaim penanda ${state.toUpperCase()}`,
        quote: `Kutipan penanda ${state.toUpperCase()}`,
        workflow_state: state,
      });
      claims[state] = claim;
    }
  });

  const hidden = () => [claims.draft, claims.in_review, claims.retracted];
  const unpublished = () => [claims.draft, claims.in_review];

  function expectOnlyPublished(body: string, where: string) {
    expect(body, where).toContain(claims.published.slug);
    for (const claim of hidden()) {
      expect(body, `${where} leaks ${claim.workflow_state}`).not.toContain(claim.slug);
      expect(body, `${where} leaks ${claim.workflow_state}`).not.toContain(claim.title!);
    }
  }

  it('keeps drafts and claims in review off their own URLs: page, badge, share image and API all answer 404', async () => {
    for (const claim of unpublished()) {
      await request(ctx.app).get(`/claims/${claim.slug}`).expect(404);
      await request(ctx.app).get(`/claims/${claim.slug}/badge.svg`).expect(404);
      await request(ctx.app).get(`/claims/${claim.slug}/share.png`).expect(404);
      const api = await request(ctx.app).get(`/api/v1/claims/${claim.slug}`).expect(404);
      expect(api.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });

  it('keeps a retracted claim reachable by its URL, marked as retracted', async () => {
    const slug = claims.retracted.slug;
    await request(ctx.app).get(`/claims/${slug}`).expect(200);
    const badge = await request(ctx.app).get(`/claims/${slug}/badge.svg`).buffer(true).expect(200);
    expect(badge.body.toString('utf8')).toContain('Ditarik');
    const api = await request(ctx.app).get(`/api/v1/claims/${slug}`).expect(200);
    expect(api.body.data).toMatchObject({ slug, retracted: true, retraction_reason: 'Ditarik dalam uji' });
  });

  it('lists neither drafts, claims in review nor retracted claims on any page, search, feed, sitemap, API or CSV', async () => {
    const surfaces = [
      '/',
      '/?lang=en',
      `/elections/${election.slug}`,
      `/candidates/${candidate.slug}`,
      '/claims',
      `/claims?election=${election.slug}`,
      '/claims?q=penanda',
      '/claims?status=false&sort=said',
      '/feed.xml',
      '/sitemap.xml',
      '/api/v1/claims',
      '/api/v1/claims?q=penanda',
      '/claims.csv',
      '/claims.csv?q=penanda',
    ];
    for (const url of surfaces) {
      const res = await request(ctx.app).get(url).buffer(true).expect(200);
      const body = typeof res.text === 'string' ? res.text : res.body.toString('utf8');
      expectOnlyPublished(body, url);
    }
  });

  it('counts only published claims in scoreboards and result counts', async () => {
    const api = await request(ctx.app).get('/api/v1/elections').expect(200);
    const mine = api.body.data.find((e: { slug: string }) => e.slug === election.slug);
    expect(mine.scoreboard.total).toBe(1);
    const list = await request(ctx.app).get(`/api/v1/claims?election=${election.slug}`).expect(200);
    expect(list.body.meta.total).toBe(1);
    expect(list.body.data.map((c: { slug: string }) => c.slug)).toEqual([claims.published.slug]);
  });
});
