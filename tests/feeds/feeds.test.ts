import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { claimsRepository } from '../../src/features/claims/claims.repository';
import { electionsRepository } from '../../src/features/elections/elections.repository';
import { sitemapXml } from '../../src/features/feeds/feeds.routes';
import { feedsService } from '../../src/features/feeds/feeds.service';
import { freshnessRepository } from '../../src/features/freshness/freshness.repository';
import { agenciesRepository } from '../../src/features/term/agencies.repository';
import { reportsRepository } from '../../src/features/term/reports.repository';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { approveStatusChange, createRatedClaim } from '../helpers/public-factories';
import { xml } from '../public/html';
import { warmUp } from '../public/warm-up';

describe('feeds: Atom, sitemap and robots.txt', () => {
  const ctx = useTestApp({ NEWSROOM_NAME: 'Redaksi Uji' });
  warmUp(ctx);

  it('publishes every published status change in Atom, newest first, in the reader’s language', async () => {
    const { claim } = await createRatedClaim(ctx.db, {
      kind: 'promise',
      status: 'in_progress',
      title: 'Jembatan & jalan <baru>',
      note: 'Tender sudah dibuka.',
    });
    await approveStatusChange(ctx.db, {
      claim_id: claim.id,
      from: 'in_progress',
      to: 'kept',
      note: 'Diresmikan.',
    });

    const res = await request(ctx.app).get('/feed.xml?lang=en').expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const doc = xml(res.text);
    const feed = doc.querySelector('feed')!;
    expect(feed.getAttribute('xmlns')).toBe('http://www.w3.org/2005/Atom');
    expect(feed.getAttribute('xml:lang')).toBe('en');
    expect(doc.querySelector('feed > author > name')?.textContent).toBe('Redaksi Uji');
    expect(doc.querySelector('feed > link[rel="self"]')?.getAttribute('href')).toBe(
      'https://kawal.test/feed.xml?lang=en',
    );
    const entries = [...doc.querySelectorAll('entry')];
    expect(entries).toHaveLength(2);
    const [newest, older] = entries;
    expect(newest?.querySelector('title')?.textContent).toBe('Kept: Jembatan & jalan <baru>');
    expect(newest?.querySelector('summary')?.textContent).toContain('In progress → Kept. Diresmikan.');
    expect(newest?.querySelector('link')?.getAttribute('href')).toBe(
      `https://kawal.test/claims/${claim.slug}`,
    );
    expect(older?.querySelector('summary')?.textContent).toContain(
      'Not yet rated → In progress. Tender sudah dibuka.',
    );
    for (const entry of entries) {
      expect(entry.querySelector('id')?.textContent).toMatch(
        /^https:\/\/kawal\.test\/claims\/.+#status-update-\d+$/,
      );
      expect(new Date(entry.querySelector('updated')?.textContent ?? '').getTime()).not.toBeNaN();
    }
    const id = xml((await request(ctx.app).get('/feed.xml').expect(200)).text);
    expect(id.querySelector('entry title')?.textContent).toBe('Ditepati: Jembatan & jalan <baru>');
  });

  it('lists the site’s pages, elections, candidates and published claims in the sitemap', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const claim = await createClaim(ctx.db, { candidate_id: candidate.id });
    const res = await request(ctx.app).get('/sitemap.xml').expect(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    const locs = [...xml(res.text).querySelectorAll('url > loc')].map((l) => l.textContent);
    for (const path of [
      '/',
      '/claims',
      '/about',
      `/elections/${election.slug}`,
      `/candidates/${candidate.slug}`,
    ]) {
      expect(locs).toContain(`https://kawal.test${path}`);
    }
    expect(locs).toContain(`https://kawal.test/claims/${claim.slug}`);
    await request(ctx.app).get('/sitemap.xml?part=abc').expect(400);
    await request(ctx.app).get('/sitemap.xml?part=99').expect(404);
  });

  it('splits the sitemap into an index of parts when the claims outgrow one file', async () => {
    for (let i = 0; i < 3; i += 1) await createClaim(ctx.db);
    const feeds = feedsService({
      claims: claimsRepository(ctx.db),
      elections: electionsRepository(ctx.db),
      freshness: freshnessRepository(ctx.db),
      term: {
        reports: reportsRepository(ctx.db).all,
        latestReports: reportsRepository(ctx.db).latest,
        agencies: agenciesRepository(ctx.db).pages,
      },
      sitemapPartSize: 2,
    });
    const total = await ctx.db('claims').where('workflow_state', 'published').count({ n: '*' }).first();
    const parts = Math.ceil(Number(total?.n) / 2);
    expect(parts).toBeGreaterThan(1);
    expect(await feeds.sitemap(undefined)).toEqual({ kind: 'index', parts });
    const slugs = [];
    for (let part = 1; part <= parts; part += 1) {
      const page = await feeds.sitemap(part);
      if (page.kind !== 'urls') throw new Error('expected urls');
      expect(page.withPages).toBe(part === 1);
      slugs.push(...page.claims.map((c) => c.slug));
    }
    expect(new Set(slugs).size).toBe(Number(total?.n));

    const index = xml(sitemapXml({ kind: 'index', parts: 2 }, 'https://kawal.test'));
    expect([...index.querySelectorAll('sitemapindex > sitemap > loc')].map((l) => l.textContent)).toEqual([
      'https://kawal.test/sitemap.xml?part=1',
      'https://kawal.test/sitemap.xml?part=2',
    ]);
  });

  it('points crawlers at the sitemap and away from the newsroom', async () => {
    const res = await request(ctx.app).get('/robots.txt').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toContain('Disallow: /newsroom');
    expect(res.text).toContain('Sitemap: https://kawal.test/sitemap.xml');
  });
});
