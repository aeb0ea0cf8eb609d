import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection, createTopic } from '../helpers/factories';
import { html, listedClaimSlugs, text } from './html';
import { warmUp } from './warm-up';

describe('/claims: browsing, filtering and searching published claims', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  async function list(query: string, lang = 'id') {
    const res = await request(ctx.app).get(`/claims?${query}`).set('Accept-Language', lang).expect(200);
    return { res, doc: html(res.text) };
  }

  it('filters by election, candidate, kind, status and topic, each alone and combined', async () => {
    const election = await createElection(ctx.db);
    const other = await createElection(ctx.db);
    const ani = await createCandidate(ctx.db, { election_id: election.id });
    const budi = await createCandidate(ctx.db, { election_id: election.id });
    const elsewhere = await createCandidate(ctx.db, { election_id: other.id });
    const jalan = await createTopic(ctx.db);
    const kept = await createClaim(ctx.db, {
      candidate_id: ani.id,
      kind: 'promise',
      status: 'kept',
      topic_ids: [jalan.id],
    });
    const aniStatement = await createClaim(ctx.db, {
      candidate_id: ani.id,
      kind: 'statement',
      status: 'false',
    });
    const budiPromise = await createClaim(ctx.db, {
      candidate_id: budi.id,
      kind: 'promise',
      status: 'broken',
      topic_ids: [jalan.id],
    });
    const otherClaim = await createClaim(ctx.db, {
      candidate_id: elsewhere.id,
      kind: 'promise',
      status: 'kept',
    });

    const slugs = async (query: string) => listedClaimSlugs((await list(query)).doc).sort();
    const sorted = (...claims: { slug: string }[]) => claims.map((c) => c.slug).sort();

    expect(await slugs(`election=${election.slug}`)).toEqual(sorted(kept, aniStatement, budiPromise));
    expect(await slugs(`candidate=${ani.slug}`)).toEqual(sorted(kept, aniStatement));
    expect(await slugs(`election=${election.slug}&kind=promise`)).toEqual(sorted(kept, budiPromise));
    expect(await slugs(`election=${election.slug}&status=false`)).toEqual(sorted(aniStatement));
    expect(await slugs(`topic=${jalan.slug}`)).toEqual(sorted(kept, budiPromise));
    expect(await slugs(`topic=${jalan.slug}&candidate=${budi.slug}&status=broken&kind=promise`)).toEqual(
      sorted(budiPromise),
    );
    expect(await slugs(`status=kept&election=${election.slug}&election=${other.slug}`)).toEqual(
      sorted(kept, otherClaim),
    );
    expect(await slugs(`election=${election.slug}&status=kept&status=broken`)).toEqual(
      sorted(kept, budiPromise),
    );
    expect(await slugs('election=no-such-election')).toEqual([]);
  });

  it('searches title, quote and explanation with Indonesian stemming: "sederhana" finds "penyederhanaan"', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const byTitle = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      title: 'Penyederhanaan birokrasi di balai kota',
    });
    const byQuote = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      quote: 'Kami menyederhanakan perizinan usaha.',
    });
    const byExplanation = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      explanation: 'Data BPS menunjukkan **penyederhanaan** struktur organisasi.',
    });
    await createClaim(ctx.db, { candidate_id: candidate.id, title: 'Pembangunan jembatan baru' });
    const draft = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      title: 'Draf penyederhanaan',
      workflow_state: 'draft',
    });

    const { doc } = await list(`q=sederhana&election=${election.slug}`);
    expect(listedClaimSlugs(doc).sort()).toEqual([byTitle.slug, byQuote.slug, byExplanation.slug].sort());
    expect(listedClaimSlugs(doc)).not.toContain(draft.slug);
    expect(text(doc, '.result-count')).toBe('3 klaim');

    const phrase = await list(
      `q=${encodeURIComponent('"jembatan baru" -penyederhanaan')}&election=${election.slug}`,
    );
    expect(listedClaimSlugs(phrase.doc)).toHaveLength(1);
  });

  it('shows the result count and each active filter with a link that removes just that filter', async () => {
    const election = await createElection(ctx.db, { name: 'Pilkada Filter 2024' });
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'statement', status: 'false' });
    await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'statement', status: 'true' });

    const { doc } = await list(`election=${election.slug}&status=false&sort=said`, 'en');
    expect(text(doc, '.result-count')).toBe('1 claim');
    const chips = [...doc.querySelectorAll('.active-filters .chip')];
    expect(chips.map((c) => c.textContent?.replace(/\s+/g, ' ').replace('×', '').trim())).toEqual([
      'Election: Pilkada Filter 2024',
      'Status: False',
    ]);
    expect(chips.map((c) => c.getAttribute('href'))).toEqual([
      '/claims?status=false&sort=said',
      `/claims?election=${election.slug}&sort=said`,
    ]);
    const removed = await list(`election=${election.slug}&sort=said`, 'en');
    expect(text(removed.doc, '.result-count')).toBe('2 claims');
    // The form shows the current choices.
    expect(doc.querySelector('#f-status option[value="false"]')?.hasAttribute('selected')).toBe(true);
    expect(doc.querySelector('#f-sort option[value="said"]')?.hasAttribute('selected')).toBe(true);
  });

  it('sorts by latest update, or by the date said with undated claims last', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const old = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: '2024-01-01' });
    const undated = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: null });
    const recent = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: '2024-10-01' });
    await ctx
      .db('claims')
      .where({ id: old.id })
      .update({ updated_at: ctx.db.raw("now() + interval '1 minute'") });

    const byUpdate = listedClaimSlugs((await list(`election=${election.slug}`)).doc);
    expect(byUpdate[0]).toBe(old.slug);
    const bySaid = listedClaimSlugs((await list(`election=${election.slug}&sort=said`)).doc);
    expect(bySaid).toEqual([recent.slug, old.slug, undated.slug]);
  });

  it('pages on with a cursor through every claim exactly once, in both sorts', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const made = [];
    for (let i = 0; i < 45; i += 1) {
      made.push(
        await createClaim(ctx.db, {
          candidate_id: candidate.id,
          // Ties on the sort key and undated claims: the id breaks ties, so no row is lost or repeated.
          said_on: i % 5 === 0 ? null : `2024-0${1 + (i % 3)}-15`,
        }),
      );
    }
    for (const sort of ['updated', 'said']) {
      const seen: string[] = [];
      let url: string | undefined = `/claims?election=${election.slug}&sort=${sort}`;
      let pages = 0;
      while (url) {
        const res = await request(ctx.app).get(url).expect(200);
        const doc = html(res.text);
        seen.push(...listedClaimSlugs(doc));
        url = doc.querySelector('.pagination a[rel="next"]')?.getAttribute('href') ?? undefined;
        if (url) expect(url).toMatch(/cursor=/);
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(seen).toHaveLength(45);
      expect(new Set(seen).size).toBe(45);
      expect(seen.sort()).toEqual(made.map((c) => c.slug).sort());
    }
  });

  it('accepts ?page=, and its next link carries on with a cursor', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    for (let i = 0; i < 25; i += 1) await createClaim(ctx.db, { candidate_id: candidate.id });
    const first = listedClaimSlugs((await list(`election=${election.slug}`)).doc);
    const second = await list(`election=${election.slug}&page=2`);
    const slugs = listedClaimSlugs(second.doc);
    expect(slugs).toHaveLength(5);
    expect(slugs.some((s) => first.includes(s))).toBe(false);
    expect(second.doc.querySelector('.pagination a[rel="next"]')).toBeNull();
    expect(second.doc.querySelector('.pagination a')?.getAttribute('href')).toBe(
      `/claims?election=${election.slug}`,
    );
  });

  it('says so helpfully when nothing matches', async () => {
    const election = await createElection(ctx.db);
    const { doc } = await list(`election=${election.slug}&q=tidakadayangcocok`);
    expect(text(doc, '.result-count')).toBe('0 klaim');
    expect(text(doc, '.empty-state')).toContain('Tidak ada klaim yang cocok');
    expect(doc.querySelector('.empty-state a')?.getAttribute('href')).toBe('/claims');
  });

  it('answers nonsense in the query string with 400 and a page naming the parameter, never a 500', async () => {
    const garbageCursor = Buffer.from('["updated","x",1]').toString('base64url');
    const cases = [
      ['status=benar', 'status'],
      ['kind=janji', 'kind'],
      ['q=a&q=b', 'q'],
      ['q=a%00b', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page=99999', 'page'],
      ['sort=random', 'sort'],
      ['cursor=%%%', 'cursor'],
      [`cursor=${garbageCursor}`, 'cursor'],
      ['election=%3Cscript%3E', 'election'],
      [`topic=${Array.from({ length: 11 }, (_, i) => `t${i}`).join('&topic=')}`, 'topic'],
    ];
    for (const [query, param] of cases) {
      const res = await request(ctx.app).get(`/claims?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(text(html(res.text), '.notice-error'), query).toContain(`(${param})`);
    }
    const en = await request(ctx.app).get('/claims?status=benar&lang=en').expect(400);
    expect(text(html(en.text), '.notice-error')).toContain('Status (status)');
  });

  it('ignores parameters it does not know, such as campaign tags', async () => {
    await request(ctx.app).get('/claims?utm_source=wa&fbclid=1&ref[]=x&utm[a]=b').expect(200);
  });

  it('refuses one of its own filters written with brackets, naming it, rather than ignore the filter', async () => {
    for (const query of ['status[]=kept', 'status%5B%5D=kept', 'q[a]=b', 'topic[0]=pendidikan']) {
      const res = await request(ctx.app).get(`/claims?${query}`).expect(400);
      expect(res.text).toContain(
        query.startsWith('q') ? 'q' : query.startsWith('topic') ? 'topic' : 'status',
      );
    }
    const api = await request(ctx.app).get('/api/v1/claims?status[]=kept').expect(400);
    expect(JSON.stringify(api.body)).toContain('status');
  });

  it('takes any search text without failing: operators, quotes, SQL and template fragments, emoji', async () => {
    for (const q of [
      "'; drop table claims; --",
      '<%= process.env %>',
      '{{7*7}}',
      '!!! ((( :* | &',
      '"',
      '-',
      'or',
      '🗳️',
      'a\tb\nc',
    ]) {
      const res = await request(ctx.app).get(`/claims?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });
});
