import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { createEvent } from '../events/helpers';
import { useTestApp } from '../helpers/app';
import { createClaim } from '../helpers/factories';

describe('the benchmark static ceiling, off by default', () => {
  const ctx = useTestApp();

  it('is not a route: /__bench/static/:slug answers 404 like any unknown page', async () => {
    const claim = await createClaim(ctx.db);

    await request(ctx.app).get(`/__bench/static/${claim.slug}`).expect(404);
    await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
  });
});

describe('the benchmark static ceiling, with BENCH_STATIC_CEILING=1', () => {
  const ctx = useTestApp({ BENCH_STATIC_CEILING: '1' });

  it("sends the verdict page's own bytes, with its content type, through the same middleware", async () => {
    const claim = await createClaim(ctx.db, { title: 'Klaim untuk batas statis' });

    const verdict = await request(ctx.app).get(`/claims/${claim.slug}`).expect(200);
    const ceiling = await request(ctx.app).get(`/__bench/static/${claim.slug}`).expect(200);
    const again = await request(ctx.app).get(`/__bench/static/${claim.slug}`).expect(200);

    expect(ceiling.text).toContain('Klaim untuk batas statis');
    expect(ceiling.text).toBe(verdict.text);
    expect(again.text).toBe(verdict.text);
    expect(ceiling.headers['content-type']).toBe(verdict.headers['content-type']);
    expect(ceiling.headers['content-length']).toBe(verdict.headers['content-length']);
    // Behind the same middleware: security headers and a request id, as on every page.
    expect(ceiling.headers['content-security-policy']).toBe(verdict.headers['content-security-policy']);
    expect(ceiling.headers['x-request-id']).toBeDefined();
  });

  it("sends the share image's own bytes at /__bench/static/:slug/share.png", async () => {
    const claim = await createClaim(ctx.db, { title: 'Klaim untuk gambar statis' });
    const png = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    };

    const image = await request(ctx.app).get(`/claims/${claim.slug}/share.png`).buffer(true).parse(png);
    const ceiling = await request(ctx.app)
      .get(`/__bench/static/${claim.slug}/share.png`)
      .buffer(true)
      .parse(png)
      .expect(200);

    expect(ceiling.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(ceiling.body as Buffer, image.body as Buffer)).toBe(0);
    expect((ceiling.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
  });

  it("sends an event page's own bytes at /__bench/static/events/:slug", async () => {
    const event = await createEvent(ctx.db, { name: 'Debat untuk batas statis', live_state: 'live' });

    const page = await request(ctx.app).get(`/events/${event.slug}`).expect(200);
    const ceiling = await request(ctx.app).get(`/__bench/static/events/${event.slug}`).expect(200);

    expect(ceiling.text).toContain('Debat untuk batas statis');
    expect(ceiling.text).toBe(page.text);
    expect(ceiling.headers['content-type']).toBe(page.headers['content-type']);
    await request(ctx.app).get('/__bench/static/events/tidak-ada').expect(404);
  });

  it('serves bytes captured once, from memory: later changes to the claim do not reach it', async () => {
    const claim = await createClaim(ctx.db, { title: 'Judul pertama' });
    await request(ctx.app).get(`/__bench/static/${claim.slug}`).expect(200);

    await ctx.db('claims').where({ id: claim.id }).update({ title: 'Judul kedua', version: 2 });

    const ceiling = await request(ctx.app).get(`/__bench/static/${claim.slug}`).expect(200);
    expect(ceiling.text).toContain('Judul pertama');
    expect(ceiling.text).not.toContain('Judul kedua');
  });

  it('answers 404 for a claim the public cannot see, and for a slug that is not one', async () => {
    const draft = await createClaim(ctx.db, { workflow_state: 'draft' });

    await request(ctx.app).get(`/__bench/static/${draft.slug}`).expect(404);
    await request(ctx.app).get('/__bench/static/tidak-ada').expect(404);
    await request(ctx.app).get('/__bench/static/Not_A_Slug').expect(404);
  });
});

describe('the BENCH_STATIC_CEILING setting', () => {
  it('is off unless set to 1, true, yes or on, and refuses anything else', () => {
    expect(loadConfig({}).benchStaticCeiling).toBe(false);
    expect(loadConfig({ BENCH_STATIC_CEILING: '' }).benchStaticCeiling).toBe(false);
    expect(loadConfig({ BENCH_STATIC_CEILING: '0' }).benchStaticCeiling).toBe(false);
    expect(loadConfig({ BENCH_STATIC_CEILING: 'off' }).benchStaticCeiling).toBe(false);
    expect(loadConfig({ BENCH_STATIC_CEILING: '1' }).benchStaticCeiling).toBe(true);
    expect(loadConfig({ BENCH_STATIC_CEILING: 'TRUE' }).benchStaticCeiling).toBe(true);
    expect(() => loadConfig({ BENCH_STATIC_CEILING: 'maybe' })).toThrow(ConfigError);
  });
});
