import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createClaim, createEvidence, createTopic } from '../helpers/factories';
import {
  addCorrection,
  approveStatusChange,
  createRatedClaim,
  hideEvidence,
  rejectStatusChange,
} from '../helpers/public-factories';
import { warmUp } from './warm-up';

const PUBLIC = 'public, max-age=60, stale-while-revalidate=300';

describe('caching fit for a CDN', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  /** The app as a signed-in editor sees it (the session middleware sets req.user the same way). */
  function signedIn() {
    const outer = express();
    outer.use((req, _res, next) => {
      req.user = { id: 1, email: 'editor@redaksi.test', display_name: 'Editor', role: 'editor' };
      next();
    });
    outer.use(ctx.app);
    return outer;
  }

  async function pages() {
    const { claim } = await createRatedClaim(ctx.db, { status: 'true' });
    const candidate = await ctx.db('candidates').where({ id: claim.candidate_id }).first();
    const election = await ctx.db('elections').where({ id: claim.election_id }).first();
    return {
      claim,
      urls: [
        '/',
        '/claims',
        `/claims?election=${election.slug}`,
        `/claims/${claim.slug}`,
        `/claims/${claim.slug}/badge.svg`,
        `/claims/${claim.slug}/share.png`,
        `/elections/${election.slug}`,
        `/candidates/${candidate.slug}`,
        '/about',
        '/feed.xml',
        '/sitemap.xml',
        '/robots.txt',
        '/claims.csv',
        '/api/v1/elections',
        '/api/v1/claims',
        `/api/v1/claims/${claim.slug}`,
      ],
    };
  }

  it('sends ETag, Last-Modified and a public short max-age with stale-while-revalidate, and answers 304 on revalidation', async () => {
    const { urls } = await pages();
    for (const url of urls) {
      const first = await request(ctx.app).get(url).expect(200);
      expect(first.headers['cache-control'], url).toBe(PUBLIC);
      const etag = String(first.headers.etag);
      const lastModified = String(first.headers['last-modified']);
      expect(etag, url).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
      expect(new Date(lastModified).getTime(), url).not.toBeNaN();

      const byTag = await request(ctx.app).get(url).set('If-None-Match', etag).expect(304);
      expect(byTag.text ?? '', url).toBe('');
      expect(byTag.headers.etag).toBe(etag);
      expect(byTag.headers['cache-control']).toBe(PUBLIC);
      await request(ctx.app).get(url).set('If-Modified-Since', lastModified).expect(304);
      await request(ctx.app).get(url).set('If-None-Match', 'W/"something-else"').expect(200);
    }
  });

  it('changes the verdict page’s ETag when its claim, evidence, timeline, corrections or responses change', async () => {
    const topic = await createTopic(ctx.db);
    const { claim, evidence } = await createRatedClaim(ctx.db, {
      status: 'half_true',
      topic_ids: [topic.id],
    });
    const url = `/claims/${claim.slug}`;
    // The page reads its version with its content (one query); a revalidation reads it alone: the two
    // must agree after every kind of change, or readers would get 304s for stale pages (or never one).
    const etag = async () => {
      const tag = (await request(ctx.app).get(url).expect(200)).headers.etag as string;
      await request(ctx.app).get(url).set('If-None-Match', tag).expect(304);
      return tag;
    };
    const seen = new Set([await etag()]);

    await createEvidence(ctx.db, { claim_id: claim.id });
    seen.add(await etag());
    await approveStatusChange(ctx.db, { claim_id: claim.id, from: 'half_true', to: 'mostly_true' });
    seen.add(await etag());
    await addCorrection(ctx.db, { claim_id: claim.id, kind: 'verdict_changed' });
    seen.add(await etag());
    await ctx.db('claims').where({ id: claim.id }).update({ summary: 'Baru', updated_at: ctx.db.fn.now() });
    seen.add(await etag());
    await ctx
      .db('candidates')
      .where({ id: claim.candidate_id })
      .update({ name: 'Nama Baru', updated_at: ctx.db.fn.now() });
    seen.add(await etag());
    await ctx
      .db('topics')
      .where({ id: topic.id })
      .update({ name: 'Topik Baru', updated_at: ctx.db.fn.now() });
    seen.add(await etag());
    await hideEvidence(ctx.db, evidence[0]!.id);
    seen.add(await etag());
    const [response] = await ctx
      .db('claim_responses')
      .insert({ claim_id: claim.id, responded_at: new Date(), responder: 'Tim Uji', text: 'Tanggapan.' })
      .returning('id');
    seen.add(await etag());
    await ctx
      .db('claim_response_corrections')
      .insert({ response_id: response.id, note: 'Salah kutip.', text: 'Baru.' });
    seen.add(await etag());
    expect(seen.size).toBe(10);
    // A rejected proposal leaves the page as it was; whether its version moves or not, both reads agree.
    await rejectStatusChange(ctx.db, { claim_id: claim.id, from: 'mostly_true', to: 'false' });
    await etag();
  });

  it('changes list ETags when a claim is published, and differs between languages', async () => {
    const before = await request(ctx.app).get('/claims').expect(200);
    const english = await request(ctx.app).get('/claims').set('Accept-Language', 'en').expect(200);
    expect(english.headers.etag).not.toBe(before.headers.etag);
    const claim = await createClaim(ctx.db, { workflow_state: 'draft' });
    await ctx.db('claims').where({ id: claim.id }).update({
      workflow_state: 'published',
      published_at: ctx.db.fn.now(),
      updated_at: ctx.db.fn.now(),
    });
    const revalidated = await request(ctx.app)
      .get('/claims')
      .set('If-None-Match', String(before.headers.etag))
      .expect(200);
    expect(revalidated.text).toContain(claim.slug);
    const feed = await request(ctx.app).get('/feed.xml').expect(200);
    await approveStatusChange(ctx.db, { claim_id: claim.id, from: 'unverified', to: 'unproven' });
    await request(ctx.app).get('/feed.xml').set('If-None-Match', String(feed.headers.etag)).expect(200);
  });

  it('answers a revalidation without rendering: one query, whatever the page', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false' });
    for (const url of ['/claims', `/claims/${claim.slug}`, '/api/v1/claims']) {
      const etag = String((await request(ctx.app).get(url).expect(200)).headers.etag);
      let queries = 0;
      const count = () => {
        queries += 1;
      };
      ctx.db.on('query', count);
      await request(ctx.app).get(url).set('If-None-Match', etag).expect(304);
      ctx.db.removeListener('query', count);
      expect(queries, url).toBe(1);
    }
  });

  it('is private and never stored when a newsroom account is signed in', async () => {
    const { urls } = await pages();
    const app = signedIn();
    for (const url of urls) {
      const res = await request(app).get(url).expect(200);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
    }
    const anonymous = await request(ctx.app).get('/claims').expect(200);
    await request(app).get('/claims').set('If-None-Match', String(anonymous.headers.etag)).expect(200);
  });

  it('does not cache error pages', async () => {
    const res = await request(ctx.app).get('/claims/tidak-ada').expect(404);
    expect(res.headers['cache-control']).toBe('no-store');
    const bad = await request(ctx.app).get('/claims?status=benar').expect(400);
    expect(bad.headers['cache-control']).toBe('no-store');
  });
});
