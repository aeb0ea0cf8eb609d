import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCandidate, createClaim, createElection, unique } from '../helpers/factories';
import { signInAs, useNewsroomApp } from '../helpers/newsroom';

// A claim's event is the event row it points at: every page and file that names it reads the row's name
// (the claims table keeps no copy of it), and a renamed event is renamed everywhere.
describe("the claim's event name", () => {
  const ctx = useNewsroomApp();

  async function setting() {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const [event] = await ctx
      .db('events')
      .insert({
        slug: unique('debat-nama'),
        election_id: election.id,
        kind: 'debate',
        name: 'Nama lama',
        held_on: '2024-11-04',
      })
      .returning(['id', 'name']);
    const base = { election_id: election.id, candidate_id: candidate.id, event_id: event.id };
    const original = await createClaim(ctx.db, { ...base, title: 'Jalan tol dua jalur' });
    const repeat = await createClaim(ctx.db, { ...base, title: 'Jalan tol lagi', said_on: '2024-11-20' });
    await ctx.db('claims').where({ id: repeat.id }).update({ repeat_of: original.id });
    await ctx
      .db('events')
      .where({ id: event.id })
      .update({ name: 'Debat publik ketiga', updated_at: new Date() });
    return { original, repeat };
  }

  it("the verdict page's repeats, the newsroom's claim page, repeat form and export name the event row", async () => {
    const { original, repeat } = await setting();
    const verdict = await request(ctx.app).get(`/claims/${original.slug}`).expect(200);
    expect(verdict.text).toContain('Pertama kali: Debat publik ketiga, ');
    expect(verdict.text).not.toContain('Nama lama');

    const editor = await signInAs(ctx.app, ctx.db, 'editor');
    const page = await editor.get(`/newsroom/claims/${original.id}`).expect(200);
    expect(page.text).toContain(' · Debat publik ketiga');
    expect(page.text).not.toContain('Nama lama');

    const form = await editor.get(`/newsroom/claims/${original.id}/repeat`).expect(200);
    expect(form.text).toContain('Jalan tol lagi</a> · Debat publik ketiga, 2024-11-20');
    expect(form.text).not.toContain('Nama lama');

    const csv = await editor.get('/newsroom/export/claims.csv').expect(200);
    const line = csv.text.split('\r\n').find((row) => row.startsWith(`${repeat.id},`));
    expect(line).toContain(',Debat publik ketiga,');
    expect(csv.text).not.toContain('Nama lama');
  });
});
