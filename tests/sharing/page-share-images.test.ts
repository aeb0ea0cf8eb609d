import type { Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createElection } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';
import { createRatedClaim } from '../helpers/public-factories';
import { html } from '../public/html';
import { warmUp } from '../public/warm-up';
import { binary, readPng } from './png';

const image = (app: Express, url: string) => request(app).get(url).buffer(true).parse(binary);

describe('candidate and election share images', () => {
  const ctx = useNewsroomApp({ PAGE_CACHE: 'on', NEWSROOM_NAME: 'Redaksi Uji' });
  warmUp(ctx);

  async function ticket() {
    const election = await createElection(ctx.db, { name: 'Pilkada Kota Uji 2024' });
    const candidate = await createCandidate(ctx.db, {
      election_id: election.id,
      name: 'Andi Uji',
      running_mate: 'Budi Wakil',
      ballot_number: 2,
    });
    return { election, candidate };
  }

  it('draw 1200 × 630 PNGs under 300 KB with the scoreboard, in the page language', async () => {
    const { election, candidate } = await ticket();
    await createRatedClaim(ctx.db, { election_id: election.id, candidate_id: candidate.id, status: 'false' });
    await createRatedClaim(ctx.db, {
      election_id: election.id,
      candidate_id: candidate.id,
      kind: 'promise',
      status: 'kept',
    });
    for (const url of [`/candidates/${candidate.slug}/share.png`, `/elections/${election.slug}/share.png`]) {
      const res = await image(ctx.app, url).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const png = readPng(res.body);
      expect([png.signature, png.width, png.height]).toEqual([true, 1200, 630]);
      expect(res.body.length).toBeLessThan(300 * 1024);
    }
    const id = await image(ctx.app, `/candidates/${candidate.slug}/share.png`);
    expect(readPng(id.body).text.Description).toBe('Andi Uji – Budi Wakil: 2 klaim diperiksa');
    const en = await image(ctx.app, `/candidates/${candidate.slug}/share.png?lang=en`);
    expect(readPng(en.body).text.Description).toBe('Andi Uji – Budi Wakil: 2 claims checked');
    expect(en.headers.etag).not.toBe(id.headers.etag);
    const election_ = await image(ctx.app, `/elections/${election.slug}/share.png?lang=en`);
    expect(readPng(election_.body).text.Description).toBe('Pilkada Kota Uji 2024: 2 claims');
  });

  it('are kept by the page cache, and change when a status changes', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const { election, candidate } = await ticket();
    const { claim, evidence } = await createRatedClaim(ctx.db, {
      election_id: election.id,
      candidate_id: candidate.id,
      status: 'half_true',
    });
    for (const url of [`/candidates/${candidate.slug}/share.png`, `/elections/${election.slug}/share.png`]) {
      const first = await image(ctx.app, url).expect(200);
      expect(first.headers['x-page-cache']).toBe('miss');
      const again = await image(ctx.app, url).expect(200);
      expect(again.headers['x-page-cache']).toBe('hit');
      expect(again.body.equals(first.body)).toBe(true);
      await request(ctx.app).get(url).set('If-None-Match', String(first.headers.etag)).expect(304);
    }
    const before = {
      candidate: await image(ctx.app, `/candidates/${candidate.slug}/share.png`),
      election: await image(ctx.app, `/elections/${election.slug}/share.png`),
    };
    await editor
      .post(`/newsroom/claims/${claim.id}/status`, {
        status: 'false',
        note: 'Angka resmi berbeda jauh.',
        evidence_ids: [evidence[0]?.id ?? 0],
      })
      .expect(303);
    const after = {
      candidate: await image(ctx.app, `/candidates/${candidate.slug}/share.png`).expect(200),
      election: await image(ctx.app, `/elections/${election.slug}/share.png`).expect(200),
    };
    for (const key of ['candidate', 'election'] as const) {
      expect(after[key].headers.etag).not.toBe(before[key].headers.etag);
      expect(after[key].body.equals(before[key].body)).toBe(false);
    }
  }, 60_000);

  it('are what the candidate and election pages offer to link previews', async () => {
    const { election, candidate } = await ticket();
    const candidatePage = html(
      (await request(ctx.app).get(`/candidates/${candidate.slug}?lang=en`).expect(200)).text,
    );
    const meta = (doc: ReturnType<typeof html>, key: string) =>
      doc.querySelector(`meta[property="${key}"], meta[name="${key}"]`)?.getAttribute('content');
    expect(meta(candidatePage, 'og:image')).toBe(
      `https://kawal.test/candidates/${candidate.slug}/share.png?lang=en`,
    );
    expect(meta(candidatePage, 'og:image:width')).toBe('1200');
    expect(meta(candidatePage, 'og:image:alt')).toBe('Andi Uji – Budi Wakil: 0 claims checked');
    expect(meta(candidatePage, 'twitter:card')).toBe('summary_large_image');
    const electionPage = html((await request(ctx.app).get(`/elections/${election.slug}`).expect(200)).text);
    expect(meta(electionPage, 'og:image')).toBe(`https://kawal.test/elections/${election.slug}/share.png`);
    expect(meta(electionPage, 'og:image:alt')).toBe('Pilkada Kota Uji 2024: 0 klaim');
  });

  it('do not exist for unknown slugs', async () => {
    for (const url of [
      '/candidates/tidak-ada/share.png',
      '/elections/tidak-ada/share.png',
      '/candidates/..%2F/share.png',
    ]) {
      const res = await request(ctx.app).get(url);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).not.toContain('image/png');
    }
  });
});
