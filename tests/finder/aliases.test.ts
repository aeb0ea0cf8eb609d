import { describe, expect, it } from 'vitest';
import { createElection } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

describe('the names a ticket goes by', () => {
  const ctx = useNewsroomApp();

  it('an editor records them on the candidate form, and the finder knows the speaker by them', async () => {
    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const election = await createElection(ctx.db);
    await editor
      .post(`/newsroom/elections/${election.id}/candidates/new`, {
        name: 'Ridwan Uji',
        running_mate: 'Uu Uji',
        aliases: 'kang Emil\nRK,  kang   emil ;',
      })
      .expect(303);
    const candidate = await ctx.db('candidates').where({ election_id: election.id }).first();
    expect(candidate.aliases).toEqual(['kang Emil', 'RK']);
    const form = await editor.get(`/newsroom/candidates/${candidate.id}/edit`).expect(200);
    expect(form.text).toContain('Nama lain');
    expect(form.text).toMatch(/name="aliases"[^>]*>kang Emil\nRK<\/textarea>/);
    const english = await editor.get(`/newsroom/candidates/${candidate.id}/edit?lang=en`).expect(200);
    expect(english.text).toContain('Other names');

    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const json = await reporter
      .post('/newsroom/finder', {
        election_id: election.id,
        text: '"Kami akan membangun 40 sekolah baru dalam dua tahun," ujar kang Emil di Bandung.',
      })
      .set('Accept', 'application/json')
      .expect(200);
    expect(json.body.suggestions[0].speaker).toContain('Emil');
    expect(json.body.suggestions[0]).toMatchObject({
      candidate: { id: candidate.id, name: 'Ridwan Uji' },
    });

    const many = Array.from({ length: 21 }, (_, i) => `nama ${i}`).join('\n');
    const refused = await editor
      .post(`/newsroom/candidates/${candidate.id}/edit?lang=id`, {
        name: 'Ridwan Uji',
        version: candidate.version,
        aliases: many,
      })
      .expect(400);
    expect(refused.text).toContain('Paling banyak 20 nama lain.');
    expect((await ctx.db('candidates').where({ id: candidate.id }).first()).aliases).toEqual([
      'kang Emil',
      'RK',
    ]);
    await editor
      .post(`/newsroom/candidates/${candidate.id}/edit`, {
        name: 'Ridwan Uji',
        version: candidate.version,
        aliases: '',
      })
      .expect(303);
    expect((await ctx.db('candidates').where({ id: candidate.id }).first()).aliases).toEqual([]);
  });
});
