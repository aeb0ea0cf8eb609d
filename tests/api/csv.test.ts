import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/features/exports/exports.routes';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { warmUp } from '../public/warm-up';

describe('/claims.csv', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  async function csv(query: string, lang = 'id') {
    const res = await request(ctx.app)
      .get(`/claims.csv?${query}`)
      .set('Accept-Language', lang)
      .buffer(true)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
    const records: string[][] = parse(res.text, { relax_column_count: false });
    return {
      header: records[0],
      rows: records.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))),
    };
  }

  it('exports the published claims the /claims filters select, with a header row', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const promise = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      kind: 'promise',
      status: 'kept',
    });
    await createClaim(ctx.db, { candidate_id: candidate.id, kind: 'statement' });
    const { header, rows } = await csv(`election=${election.slug}&kind=promise`, 'en');
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      slug: promise.slug,
      url: `https://kawal.test/claims/${promise.slug}`,
      kind: 'promise',
      status: 'kept',
      status_label: 'Kept',
      said_on: '2024-11-04',
      election_slug: election.slug,
      candidate_slug: candidate.slug,
    });
  });

  it('neutralises cells a spreadsheet would run as a formula, and keeps everything else byte for byte', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const evil = [
      '=HYPERLINK("http://evil.example","klik")',
      '+62 811 1234',
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
    ];
    for (const title of evil) {
      await createClaim(ctx.db, {
        candidate_id: candidate.id,
        title,
        quote: `Kutipan, "dengan" koma\ndan baris baru`,
      });
    }
    const { rows } = await csv(`election=${election.slug}`);
    expect(rows.map((r) => r.title).sort()).toEqual(evil.map((t) => `'${t}`).sort());
    for (const row of rows) expect(row.quote).toBe('Kutipan, "dengan" koma\ndan baris baru');
  });

  it('links each claim to the claim it repeats, the claims that repeat it, and counts its responses', async () => {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const original = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: '2024-10-01' });
    const later = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: '2024-11-20' });
    const earlier = await createClaim(ctx.db, { candidate_id: candidate.id, said_on: '2024-10-15' });
    const hidden = await createClaim(ctx.db, { candidate_id: candidate.id, workflow_state: 'draft' });
    const alone = await createClaim(ctx.db, { candidate_id: candidate.id });
    await ctx
      .db('claims')
      .whereIn('id', [later.id, earlier.id, hidden.id])
      .update({ repeat_of: original.id });
    const response = { responder: 'Tim pemenangan', responded_at: new Date('2024-11-05T09:30:00Z') };
    await ctx.db('claim_responses').insert([
      { ...response, claim_id: original.id, text: 'Jawaban pertama, "dengan" koma.' },
      { ...response, claim_id: original.id, url: 'https://example.org/siaran' },
    ]);

    const { rows } = await csv(`election=${election.slug}`);
    const bySlug = new Map(rows.map((r) => [r.slug, r]));
    expect(rows).toHaveLength(4);
    // In the order said; a draft repeat stays out, as it does on the verdict page.
    expect(bySlug.get(original.slug)).toMatchObject({
      repeat_of: '',
      repeats: `${earlier.slug}; ${later.slug}`,
      responses: '2',
    });
    expect(bySlug.get(later.slug)).toMatchObject({ repeat_of: original.slug, repeats: '', responses: '0' });
    expect(bySlug.get(earlier.slug)).toMatchObject({ repeat_of: original.slug, repeats: '' });
    expect(bySlug.get(alone.slug)).toMatchObject({ repeat_of: '', repeats: '', responses: '0' });

    // An original taken back to draft is no longer named by its repeats.
    await ctx
      .db('claims')
      .where({ id: original.id })
      .update({ workflow_state: 'draft', updated_at: new Date() });
    const after = await csv(`election=${election.slug}`);
    expect(after.rows.map((r) => [r.slug, r.repeat_of]).sort()).toEqual(
      [
        [later.slug, ''],
        [earlier.slug, ''],
        [alone.slug, ''],
      ].sort(),
    );
  });

  it('answers a filter that makes no sense with 400', async () => {
    await request(ctx.app).get('/claims.csv?status=benar').expect(400);
    await request(ctx.app).get('/claims.csv?q=a%00b').expect(400);
  });
});
