import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createClaim } from '../helpers/factories';
import { createRatedClaim } from '../helpers/public-factories';
import { html } from '../public/html';
import { warmUp } from '../public/warm-up';

describe('the verdict meter', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  async function meterOn(slug: string, lang = 'id') {
    const res = await request(ctx.app).get(`/claims/${slug}?lang=${lang}`).expect(200);
    const doc = html(res.text);
    const svg = doc.querySelector('.verdict-head .meter svg');
    return {
      res,
      svg,
      label: svg?.getAttribute('aria-label') ?? '',
      status: doc.querySelector('.verdict-head .meter-status')?.textContent ?? '',
      bars: svg?.querySelectorAll('rect').length ?? 0,
      pointer: svg?.querySelector('polygon') ?? null,
      fills: [...(svg?.querySelectorAll('rect') ?? [])].map((rect) => rect.getAttribute('fill')),
    };
  }

  it('tops the verdict page: where the claim sits, the status in words beside it and for screen readers', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'mostly_true' });
    const meter = await meterOn(claim.slug, 'en');
    expect(meter.svg?.getAttribute('role')).toBe('img');
    expect(meter.status).toBe('Mostly true');
    expect(meter.label).toBe('Verdict meter: Mostly true, step 4 of 5, from False to True');
    expect(meter.bars).toBe(5);
    expect(meter.pointer).not.toBeNull();
    // The fourth bar is the claim's, in its tone's colour; the others are not.
    expect(meter.fills.filter((fill) => fill === '#1e6b34')).toHaveLength(1);
    expect(meter.fills[3]).toBe('#1e6b34');
    expect(meter.res.text.length).toBeLessThan(30 * 1024);
  });

  it('places promises on their own line, and claims not yet rated nowhere on it', async () => {
    const { claim: broken } = await createRatedClaim(ctx.db, { kind: 'promise', status: 'broken' });
    const promise = await meterOn(broken.slug);
    expect(promise.status).toBe('Diingkari');
    expect(promise.label).toBe(
      'Meteran penilaian: Diingkari, tingkat 1 dari 5, dari Diingkari sampai Ditepati',
    );
    expect(promise.fills[0]).toBe('#a1221b');

    const unrated = await createClaim(ctx.db, { kind: 'statement', workflow_state: 'published' });
    const open = await meterOn(unrated.slug);
    expect(open.status).toBe('Belum diverifikasi');
    expect(open.pointer).toBeNull();
    expect(open.label).toContain('belum punya tempat');
  });

  it('says retracted on a retracted claim, with no place on the line', async () => {
    const claim = await createClaim(ctx.db, {
      kind: 'statement',
      status: 'false',
      workflow_state: 'retracted',
      retracted_at: new Date(),
      retraction_reason: 'Salah kutip.',
    });
    const meter = await meterOn(claim.slug, 'en');
    expect(meter.status).toBe('Retracted');
    expect(meter.pointer).toBeNull();
    expect(meter.fills.every((fill) => fill === '#ffffff')).toBe(true);
  });

  it('is drawn small in the badge too', async () => {
    const { claim } = await createRatedClaim(ctx.db, { status: 'false' });
    const res = await request(ctx.app).get(`/claims/${claim.slug}/badge.svg`).buffer(true).expect(200);
    const svg = String(res.body);
    expect(svg).toContain('<polygon');
    expect(svg.match(/<rect [^>]*stroke-width="1.5"/g)).toHaveLength(5);
    expect(svg).toContain('Keliru');
  });
});
