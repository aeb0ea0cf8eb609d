import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { idFromLocation, signInAs, useNewsroomApp } from '../helpers/newsroom';

async function sqlState(work: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('agencies responsible for promises', () => {
  const ctx = useNewsroomApp();

  async function electionWithTicket() {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    return { election, candidate };
  }

  it('editors keep the list on the term page; reporters may not; bad input is a 400 and nothing is stored', async () => {
    const { election } = await electionWithTicket();
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    await reporter.get(`/newsroom/elections/${election.id}/term`).expect(403);
    await reporter
      .post(`/newsroom/elections/${election.id}/agencies`, { name: 'Dinas Pendidikan' })
      .expect(403);
    await editor
      .post(`/newsroom/elections/${election.id}/agencies`, { name: 'Dinas Pendidikan', short_name: 'Disdik' })
      .expect(303);
    const empty = await editor
      .post(`/newsroom/elections/${election.id}/agencies?lang=en`, { name: ' ' })
      .expect(400);
    expect(empty.text).toContain('Agency name');
    const twice = await editor
      .post(`/newsroom/elections/${election.id}/agencies?lang=id`, { name: 'dinas pendidikan' })
      .expect(400);
    expect(twice.text).toContain('OPD dengan nama ini sudah ada di pemilihan ini.');
    const rows = await ctx.db('agencies').where({ election_id: election.id });
    expect(rows).toMatchObject([{ name: 'Dinas Pendidikan', short_name: 'Disdik', slug: 'disdik' }]);
    const desk = await editor.get(`/newsroom/elections/${election.id}/term`).expect(200);
    expect(desk.text).toContain(`/elections/${election.slug}/agencies/disdik`);

    const agency = rows[0];
    await editor
      .post(`/newsroom/agencies/${agency.id}/edit`, {
        name: 'Dinas Pendidikan dan Kebudayaan',
        short_name: 'Disdikbud',
        version: agency.version,
      })
      .expect(303);
    const stale = await editor
      .post(`/newsroom/agencies/${agency.id}/edit`, { name: 'Lain', version: agency.version })
      .expect(409);
    expect(stale.text).toContain('Dinas Pendidikan dan Kebudayaan');
    const after = await ctx.db('agencies').where({ id: agency.id }).first();
    // The slug never changes: it is in public links.
    expect(after).toMatchObject({ name: 'Dinas Pendidikan dan Kebudayaan', slug: 'disdik', version: 2 });
    expect(
      await ctx.db('audit_log').where({ entity: 'agency', entity_id: agency.id }).pluck('action'),
    ).toEqual(['agency.create', 'agency.update']);
  });

  it('a promise names one of its own election’s agencies in the claim form; statements and other elections’ are refused', async () => {
    const { election, candidate } = await electionWithTicket();
    const other = await electionWithTicket();
    const [agency] = await ctx
      .db('agencies')
      .insert({ election_id: election.id, slug: 'bappeda', name: 'Badan Perencanaan', short_name: 'Bappeda' })
      .returning('*');
    const [foreign] = await ctx
      .db('agencies')
      .insert({ election_id: other.election.id, slug: 'bappeda', name: 'Badan Perencanaan' })
      .returning('*');
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const form = await reporter.get('/newsroom/claims/new').expect(200);
    expect(form.text).toContain('name="agency_id"');
    const saved = await reporter
      .post('/newsroom/claims/new', {
        candidate_id: candidate.id,
        kind: 'promise',
        quote: 'Kami bangun sekolah.',
        agency_id: agency.id,
      })
      .expect(303);
    const id = idFromLocation(saved.headers.location);
    expect((await ctx.db('claims').where({ id }).first()).agency_id).toBe(agency.id);

    const statement = await reporter
      .post('/newsroom/claims/new?lang=en', {
        candidate_id: candidate.id,
        kind: 'statement',
        quote: 'Sudah dibangun.',
        agency_id: agency.id,
      })
      .expect(400);
    expect(statement.text).toContain('A responsible agency is only for promises.');
    const elsewhere = await reporter
      .post('/newsroom/claims/new?lang=id', {
        candidate_id: candidate.id,
        kind: 'promise',
        quote: 'Janji lain.',
        agency_id: foreign.id,
      })
      .expect(400);
    expect(elsewhere.text).toContain('OPD ini bukan dari pemilihan klaim ini.');
    expect(await ctx.db('claims').where({ candidate_id: candidate.id })).toHaveLength(1);

    // The database holds the same rule: an agency of another election does not fit the claim.
    const claim = await createClaim(ctx.db, { kind: 'promise', candidate_id: candidate.id });
    expect(await sqlState(ctx.db('claims').where({ id: claim.id }).update({ agency_id: foreign.id }))).toBe(
      '23503',
    );
  });

  it('the election page breaks promises down by agency, each agency has its page, and the API and CSV carry it', async () => {
    const { election, candidate } = await electionWithTicket();
    const [disdik, dinkes] = await ctx
      .db('agencies')
      .insert([
        { election_id: election.id, slug: 'disdik', name: 'Dinas Pendidikan', short_name: 'Disdik' },
        { election_id: election.id, slug: 'dinkes', name: 'Dinas Kesehatan', short_name: 'Dinkes' },
      ])
      .returning('*');
    const school = await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      agency_id: disdik.id,
      status: 'in_progress',
    });
    await createClaim(ctx.db, { kind: 'promise', candidate_id: candidate.id, agency_id: disdik.id });
    await createClaim(ctx.db, {
      kind: 'promise',
      candidate_id: candidate.id,
      agency_id: disdik.id,
      workflow_state: 'draft',
    });
    await createClaim(ctx.db, { kind: 'promise', candidate_id: candidate.id });

    const page = await request(ctx.app).get(`/elections/${election.slug}?lang=en`).expect(200);
    expect(page.text).toContain('Promises by responsible agency');
    const row = (name: string) => {
      const match = new RegExp(`${name}</a>[\\s\\S]*?</th>((?:<td>\\d+</td>)+)</tr>`).exec(page.text);
      return match ? [...match[1]!.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1])) : undefined;
    };
    // Not yet rated, in progress, stalled, compromise, kept, broken, total.
    expect(row('Dinas Pendidikan')).toEqual([1, 1, 0, 0, 0, 0, 2]);
    expect(row('Dinas Kesehatan')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(page.text).toContain('No agency named yet');

    const agencyPage = await request(ctx.app).get(`/elections/${election.slug}/agencies/disdik`).expect(200);
    expect(agencyPage.text).toContain('<h1>Dinas Pendidikan (Disdik)</h1>');
    expect(agencyPage.text).toContain(`/claims/${school.slug}`);
    expect(agencyPage.text.match(/class="claim-card"/g)).toHaveLength(2);
    await request(ctx.app).get(`/elections/${election.slug}/agencies/tidak-ada`).expect(404);
    await request(ctx.app).get(`/elections/${election.slug}/agencies/${dinkes.slug}`).expect(200);

    const api = await request(ctx.app).get(`/api/v1/claims/${school.slug}`).expect(200);
    expect(api.body.data.agency).toEqual({
      slug: 'disdik',
      name: 'Dinas Pendidikan',
      short_name: 'Disdik',
      url: `https://kawal.test/elections/${election.slug}/agencies/disdik`,
    });
    const list = await request(ctx.app).get(`/api/v1/claims?candidate=${candidate.slug}`).expect(200);
    expect(list.body.data.find((c: { slug: string }) => c.slug === school.slug).agency.slug).toBe('disdik');
    const csv = await request(ctx.app).get(`/claims.csv?candidate=${candidate.slug}`).expect(200);
    const records: string[][] = parse(csv.text);
    const header = records[0]!;
    const line = records.find((r) => r[0] === school.slug)!;
    expect(line[header.indexOf('agency')]).toBe('disdik');
    expect(line[header.indexOf('agency_name')]).toBe('Dinas Pendidikan');
    const verdict = await request(ctx.app).get(`/claims/${school.slug}`).expect(200);
    expect(verdict.text).toContain(`/elections/${election.slug}/agencies/disdik`);
  });

  it('the CSV import names the agency by short name (or slug, name, id) and the export gives its slug', async () => {
    const { election, candidate } = await electionWithTicket();
    await ctx
      .db('agencies')
      .insert({ election_id: election.id, slug: 'dpupr', name: 'Dinas Pekerjaan Umum', short_name: 'DPUPR' });
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const bad = await reporter
      .post('/newsroom/import', {
        csv: `candidate,kind,quote,agency\n${candidate.slug},promise,Jalan mulus,Dishub\n`,
        commit: '1',
      })
      .expect(400);
    expect(bad.text).toContain(
      'Tidak ada OPD dengan slug, singkatan, nama atau id ini di pemilihan kandidat.',
    );
    await reporter
      .post('/newsroom/import', {
        csv: `candidate,kind,quote,agency\n${candidate.slug},promise,Jalan mulus,dpupr\n`,
        commit: '1',
      })
      .expect(303);
    const claim = await ctx.db('claims').where({ candidate_id: candidate.id }).first();
    expect(claim.agency_id).not.toBeNull();
    const exported = await reporter.get('/newsroom/export/claims.csv').expect(200);
    const records: string[][] = parse(exported.text);
    const line = records.find((r) => r.includes('Jalan mulus'))!;
    expect(line[records[0]!.indexOf('agency')]).toBe('dpupr');
  });
});
