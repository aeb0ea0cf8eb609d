import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app';
import { countQueries } from '../helpers/database';
import { createCandidate, createElection, createEvidence, createTopic } from '../helpers/factories';
import { approveStatusChange, createRatedClaim } from '../helpers/public-factories';
import { warmUp } from './warm-up';

describe('no N+1: a page’s number of queries does not grow with the rows it shows', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  /** An election with `n` rated claims, each with topics, evidence and two published status changes. */
  async function electionWith(n: number) {
    const election = await createElection(ctx.db);
    const candidate = await createCandidate(ctx.db, { election_id: election.id });
    const topics = [await createTopic(ctx.db), await createTopic(ctx.db)];
    const claims = [];
    for (let i = 0; i < n; i += 1) {
      const { claim } = await createRatedClaim(ctx.db, {
        candidate_id: candidate.id,
        status: 'half_true',
        topic_ids: topics.map((t) => t.id),
        evidence: [{ stance: 'supports' }, { stance: 'context' }],
      });
      const more = await createEvidence(ctx.db, { claim_id: claim.id, stance: 'contradicts' });
      await approveStatusChange(ctx.db, {
        claim_id: claim.id,
        from: 'half_true',
        to: 'false',
        evidence_ids: [more.id],
      });
      claims.push(claim);
    }
    return { election, candidate, claims };
  }

  async function queriesFor(url: string): Promise<number> {
    return countQueries(ctx.db, () => request(ctx.app).get(url).expect(200));
  }

  it('on the list page, the election and candidate pages, the home page and the API list', async () => {
    const small = await electionWith(1);
    const large = await electionWith(12);
    const pairs = [
      [`/claims?election=${small.election.slug}`, `/claims?election=${large.election.slug}`],
      [`/claims?election=${small.election.slug}&q=uji`, `/claims?election=${large.election.slug}&q=uji`],
      [`/elections/${small.election.slug}`, `/elections/${large.election.slug}`],
      [`/candidates/${small.candidate.slug}`, `/candidates/${large.candidate.slug}`],
      [`/api/v1/claims?election=${small.election.slug}`, `/api/v1/claims?election=${large.election.slug}`],
      [`/claims.csv?election=${small.election.slug}`, `/claims.csv?election=${large.election.slug}`],
    ];
    for (const [few, many] of pairs) {
      const a = await queriesFor(few!);
      const b = await queriesFor(many!);
      expect(b, `${few} ${a} vs ${many} ${b}`).toBe(a);
      // The election page is the widest: election, tickets, scoreboards, topics, claims, events, the term.
      expect(a, few).toBeLessThanOrEqual(few!.startsWith('/elections/') ? 8 : 7);
    }
    expect(await queriesFor('/')).toBeLessThanOrEqual(7);
  });

  it('on the verdict page and its API, however long the timeline and the evidence list', async () => {
    const {
      claims: [short],
    } = await electionWith(1);
    const { claim: long } = await createRatedClaim(ctx.db, {
      status: 'true',
      evidence: Array.from({ length: 10 }, () => ({ stance: 'supports' as const })),
    });
    let from = 'true' as const as 'true' | 'mostly_true';
    for (let i = 0; i < 10; i += 1) {
      const to = from === 'true' ? 'mostly_true' : 'true';
      const e = await createEvidence(ctx.db, { claim_id: long.id });
      await approveStatusChange(ctx.db, { claim_id: long.id, from, to, evidence_ids: [e.id] });
      from = to;
    }
    for (const path of ['/claims/', '/api/v1/claims/']) {
      const a = await queriesFor(`${path}${short!.slug}`);
      const b = await queriesFor(`${path}${long.slug}`);
      expect(b, path).toBe(a);
      expect(a).toBeLessThanOrEqual(5);
    }
  });
});
