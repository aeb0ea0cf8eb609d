import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createEvidence, createTopic } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

const HEADER = 'election,candidate,kind,title,quote,quote_is_paraphrase,said_on,event,topics,deadline';

describe('CSV import and export', () => {
  const ctx = useNewsroomApp();

  it('a preview shows every row and writes nothing; committing saves every row as a draft', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const election = await ctx.db('elections').where({ id: candidate.election_id }).first();
    const topic = await createTopic(ctx.db, { slug: 'reformasi-birokrasi', name: 'Reformasi birokrasi' });
    const csv = [
      HEADER,
      `${election.slug},${candidate.slug},statement,Jumlah OPD,"Dulu 40 OPD, sekarang 30 OPD.",false,2024-11-04,Debat,${topic.slug},`,
      `,${candidate.id},promise,,"Kami akan ""melanjutkan"" sistem merit.",ya,2024-11-04,Debat,,2029-12-31`,
    ].join('\r\n');
    const preview = await reporter.post('/newsroom/import', { csv }).expect(200);
    expect(preview.text).toContain('2 baris, 0 bermasalah.');
    expect(preview.text).toContain('Simpan 2 klaim sebagai draf');
    expect(await ctx.db('claims').where({ candidate_id: candidate.id })).toHaveLength(0);

    const commit = await reporter.post('/newsroom/import', { csv, commit: '1' }).expect(303);
    expect(commit.headers.location).toBe('/newsroom/claims?state=draft&imported=2');
    const claims = await ctx.db('claims').where({ candidate_id: candidate.id }).orderBy('id');
    expect(claims).toHaveLength(2);
    expect(claims[0]).toMatchObject({
      kind: 'statement',
      title: 'Jumlah OPD',
      quote: 'Dulu 40 OPD, sekarang 30 OPD.',
      quote_is_paraphrase: false,
      said_on: '2024-11-04',
      workflow_state: 'draft',
      status: 'unverified',
      created_by: reporter.user.id,
    });
    expect(claims[1]).toMatchObject({
      kind: 'promise',
      quote: 'Kami akan "melanjutkan" sistem merit.',
      quote_is_paraphrase: true,
      deadline: '2029-12-31',
    });
    expect(await ctx.db('claim_topics').where({ claim_id: claims[0].id })).toEqual([
      { claim_id: claims[0].id, topic_id: topic.id },
    ]);
    expect(await ctx.db('audit_log').where({ action: 'claim.import' })).toHaveLength(2);
    const list = await reporter.get(commit.headers.location!).expect(200);
    expect(list.text).toContain('2 klaim diimpor sebagai draf.');
  });

  it('row-level errors name the line and the column, and nothing at all is saved', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const csv = [
      HEADER,
      `,${candidate.slug},statement,Baris baik,Kutipan baik,,,,,`,
      `,tidak-ada-calon,statement,,Kutipan,,,,,`,
      `,${candidate.slug},janji,,Kutipan,,2024-13-01,,topik-hantu,`,
      `,${candidate.slug},statement,,,,,,,2030-01-01`,
    ].join('\n');
    const res = await reporter.post('/newsroom/import', { csv }).expect(400);
    expect(res.text).toContain('4 baris, 3 bermasalah.');
    expect(res.text).toContain('Kandidat dengan slug atau id ini tidak ada.');
    expect(res.text).toContain('<code>kind</code>: Pilihan tidak dikenal.');
    expect(res.text).toContain('<code>said_on</code>: Tulis tanggal yang benar');
    expect(res.text).toContain('<code>topics</code>: Ada topik yang tidak dikenal.');
    expect(res.text).toContain('<code>quote</code>: Wajib diisi.');
    expect(res.text).toContain('<code>deadline</code>: Tenggat hanya untuk janji.');
    expect(res.text).toMatch(/<th scope="row">3<\/th>/);
    expect(res.text).not.toContain('Simpan 4 klaim');
    // Committing anyway saves nothing, not even the good row.
    await reporter.post('/newsroom/import', { csv, commit: '1' }).expect(400);
    expect(await ctx.db('claims').where({ candidate_id: candidate.id })).toHaveLength(0);
  });

  it('is all-or-nothing even when the database refuses a row the checks let through', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const importsBefore = (await ctx.db('audit_log').where({ action: 'claim.import' })).length;
    // A trigger stands in for any failure at save time (a constraint, a lost connection) on the third row.
    await ctx.db.raw(`CREATE FUNCTION refuse_third_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.quote = 'Baris ketiga' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await ctx.db.raw(
      'CREATE TRIGGER refuse_third_import BEFORE INSERT ON claims FOR EACH ROW EXECUTE FUNCTION refuse_third_import()',
    );
    try {
      const csv = [
        'candidate,kind,quote',
        `${candidate.slug},statement,Baris pertama`,
        `${candidate.slug},statement,Baris kedua`,
        `${candidate.slug},statement,Baris ketiga`,
      ].join('\n');
      await reporter.post('/newsroom/import', { csv, commit: '1' }).expect(500);
    } finally {
      await ctx.db.raw('DROP TRIGGER refuse_third_import ON claims');
      await ctx.db.raw('DROP FUNCTION refuse_third_import()');
    }
    expect(await ctx.db('claims').where({ candidate_id: candidate.id })).toHaveLength(0);
    expect(await ctx.db('audit_log').where({ action: 'claim.import' })).toHaveLength(importsBefore);
  });

  it('refuses unknown and missing columns, reads semicolon files and an uploaded file', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    const unknown = await reporter
      .post('/newsroom/import', { csv: 'candidate,kind,quote,warna\nx,statement,y,merah' })
      .expect(400);
    expect(unknown.text).toContain('Kolom tidak dikenal: warna');
    const missing = await reporter.post('/newsroom/import', { csv: 'candidate,quote\nx,y' }).expect(400);
    expect(missing.text).toContain('Kolom wajib tidak ada: kind');
    const empty = await reporter.post('/newsroom/import', { csv: '' }).expect(400);
    expect(empty.text).toContain('Berkasnya kosong.');
    const semicolons = await reporter
      .post('/newsroom/import', { csv: `candidate;kind;quote\n${candidate.slug};statement;Satu, dua, tiga` })
      .expect(200);
    expect(semicolons.text).toContain('1 baris, 0 bermasalah.');
    const upload = await reporter.agent
      .post('/newsroom/import')
      .field('_csrf', reporter.csrf)
      .attach(
        'file',
        Buffer.from(`\uFEFFcandidate,kind,quote\n${candidate.slug},promise,Dari berkas\n`),
        'klaim.csv',
      )
      .expect(200);
    expect(upload.text).toContain('Dari berkas');
  });

  it('the export holds every claim the newsroom sees, all states, and neutralises spreadsheet formulas', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const draft = await createClaim(ctx.db, {
      workflow_state: 'draft',
      title: '=HYPERLINK("http://evil.example","klik")',
    });
    const retracted = await createClaim(ctx.db, { workflow_state: 'retracted', quote: '@SUM(1+1)' });
    const published = await createClaim(ctx.db, { quote: '-2+3' });
    await createEvidence(ctx.db, { claim_id: published.id, title: '+cmd|calc' });
    const res = await reporter.get('/newsroom/export/claims.csv').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = parse(res.text, { columns: true, bom: true }) as Record<string, string>[];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    expect(byId.get(draft.id)?.workflow_state).toBe('draft');
    expect(byId.get(draft.id)?.title).toBe('\'=HYPERLINK("http://evil.example","klik")');
    expect(byId.get(retracted.id)?.quote).toBe("'@SUM(1+1)");
    expect(byId.get(published.id)?.quote).toBe("'-2+3");
    expect(byId.get(published.id)?.url).toBe(`https://kawal.test/claims/${published.slug}`);
    const evidence = parse((await reporter.get('/newsroom/export/evidence.csv').expect(200)).text, {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(evidence.find((e) => e.claim_id === String(published.id))?.title).toBe("'+cmd|calc");
    await ctx.db('status_updates').insert({
      claim_id: published.id,
      from_status: 'unverified',
      to_status: 'unproven',
      note: '=1+1',
      proposed_by: reporter.user.id,
    });
    const updates = parse((await reporter.get('/newsroom/export/status-updates.csv').expect(200)).text, {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(updates.find((u) => u.claim_id === String(published.id))).toMatchObject({
      note: "'=1+1",
      decision: '',
    });
  });

  it('an exported file can be imported again as new drafts (export-only columns are ignored)', async () => {
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const candidate = await createCandidate(ctx.db);
    await createClaim(ctx.db, {
      candidate_id: candidate.id,
      title: 'Untuk diekspor',
      quote: 'Kutipan untuk diekspor',
    });
    const exported = (await reporter.get('/newsroom/export/claims.csv').expect(200)).text;
    const lines = exported.replace(/^\uFEFF/, '').split('\r\n');
    const mine = lines.filter((line, i) => i === 0 || line.includes('Kutipan untuk diekspor')).join('\n');
    const res = await reporter.post('/newsroom/import', { csv: mine }).expect(200);
    expect(res.text).toContain('1 baris, 0 bermasalah.');
    expect(res.text).toContain('Kolom yang diabaikan:');
  });
});
