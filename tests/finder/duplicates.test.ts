import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

const LOGGED = 'Kami sudah memangkas jumlah OPD dari 40 menjadi 30 supaya birokrasi lebih ramping.';

describe('duplicates where claims are typed', () => {
  const ctx = useNewsroomApp();

  async function setting() {
    const election = await createElection(ctx.db);
    const andi = await createCandidate(ctx.db, { election_id: election.id, name: 'Andi Uji' });
    const other = await createCandidate(ctx.db, { election_id: election.id, name: 'Budi Uji' });
    const logged = await createClaim(ctx.db, {
      election_id: election.id,
      candidate_id: andi.id,
      kind: 'statement',
      status: 'true',
      title: 'Jumlah OPD dipangkas dari 40 menjadi 30',
      quote: LOGGED,
    });
    return { election, andi, other, logged };
  }

  it('answers the close matches of what is typed as JSON, from any candidate, never the claim edited', async () => {
    const { election, other, logged } = await setting();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const typed = await reporter.agent
      .get('/newsroom/finder/similar')
      .query({ quote: 'sudah memangkas jumlah OPD dari 40 menjadi 30', candidate_id: other.id })
      .set('Accept', 'application/json')
      .expect(200);
    expect(typed.headers['cache-control']).toBe('no-store');
    expect(typed.body.duplicates).toEqual([
      expect.objectContaining({
        id: logged.id,
        slug: logged.slug,
        status: 'true',
        status_label: 'Benar',
        url: `/newsroom/claims/${logged.id}`,
        candidate_name: 'Andi Uji',
      }),
    ]);
    expect(typed.body.duplicates[0].similarity).toBeGreaterThan(0.8);
    const itself = await reporter.agent
      .get('/newsroom/finder/similar')
      .query({ quote: LOGGED, election_id: election.id, exclude: logged.id })
      .expect(200);
    expect(itself.body.duplicates).toEqual([]);
    for (const query of [
      { quote: 'dua kata', election_id: election.id },
      { quote: LOGGED },
      { quote: ['a', 'b'], election_id: 'x' },
      { quote: `${LOGGED}\u0000`, candidate_id: '99999999' },
    ]) {
      const res = await reporter.agent.get('/newsroom/finder/similar').query(query).expect(200);
      expect(res.body.duplicates).toEqual([]);
    }
    const anonymous = await request(ctx.app)
      .get('/newsroom/finder/similar')
      .set('Accept', 'application/json');
    expect([302, 303, 401]).toContain(anonymous.status);
    expect(anonymous.text).not.toContain(LOGGED);
  });

  it('the claim form carries the list and its script; the script is a file of ours', async () => {
    await setting();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const form = await reporter.get('/newsroom/claims/new').expect(200);
    expect(form.text).toContain('id="nr-duplicates"');
    expect(form.text).toContain('data-endpoint="/newsroom/finder/similar"');
    expect(form.text).toContain('<script src="/assets/duplicates.js" defer></script>');
    const script = await request(ctx.app).get('/assets/duplicates.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain('duplicates_seen');
  });

  it('without the script, a close match is shown and asked about; nothing typed is lost; saving anyway saves', async () => {
    const { election, other, logged } = await setting();
    const reporter = await signInAs(ctx.app, ctx.db, 'reporter');
    const typed = {
      election_id: election.id,
      candidate_id: other.id,
      kind: 'statement',
      quote: 'Kami sudah memangkas jumlah OPD dari 40 menjadi 30 supaya birokrasi lebih ramping!',
      event: 'Debat ketiga',
      said_on: '2024-11-20',
    };
    const asked = await reporter.post('/newsroom/claims/new', typed).expect(409);
    expect(asked.text).toContain('Klaim ini mirip sekali dengan yang sudah tercatat:');
    expect(asked.text).toContain(`href="/newsroom/claims/${logged.id}"`);
    expect(asked.text).toContain('name="confirm_duplicates" value="1"');
    expect(asked.text).toContain(typed.quote);
    expect(asked.text).toContain('value="Debat ketiga"');
    expect(asked.text).toContain('value="2024-11-20"');
    expect(await ctx.db('claims').where({ candidate_id: other.id })).toHaveLength(0);

    // The script showed this match while typing: the server does not ask again.
    await reporter.post('/newsroom/claims/new', { ...typed, duplicates_seen: String(logged.id) }).expect(303);
    await reporter.post('/newsroom/claims/new', { ...typed, confirm_duplicates: '1' }).expect(303);
    expect(await ctx.db('claims').where({ candidate_id: other.id })).toHaveLength(2);

    // A different claim is saved at once.
    await reporter
      .post('/newsroom/claims/new', {
        ...typed,
        quote: 'Kami akan membangun dua belas pasar rakyat di setiap kecamatan.',
      })
      .expect(303);
    const english = await reporter.post('/newsroom/claims/new?lang=en', typed).expect(409);
    expect(english.text).toContain('Save anyway');
  });
});
