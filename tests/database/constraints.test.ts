import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/features/audit/audit.repository';
import { createTestDatabaseContext } from '../helpers/context';
import {
  createCandidate,
  createClaim,
  createElection,
  createEvidence,
  createUser,
} from '../helpers/factories';

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('the database itself', () => {
  const ctx = createTestDatabaseContext();

  it('refuses a status that is not on the claim kind’s scale', async () => {
    const claim = await createClaim(ctx.db, { kind: 'promise' });
    expect(await sqlState(ctx.db('claims').where({ id: claim.id }).update({ status: 'true' }))).toBe('23514');
    expect(await sqlState(createClaim(ctx.db, { kind: 'statement', status: 'kept' }))).toBe('23514');
    const stored = await ctx.db('claims').where({ id: claim.id }).first();
    expect(stored.status).toBe('not_rated');
  });

  it('refuses an unknown workflow state and a published claim without a title', async () => {
    const claim = await createClaim(ctx.db, { workflow_state: 'draft' });
    expect(
      await sqlState(ctx.db('claims').where({ id: claim.id }).update({ workflow_state: 'archived' })),
    ).toBe('23514');
    expect(await sqlState(createClaim(ctx.db, { title: null }))).toBe('23514');
    await expect(createClaim(ctx.db, { workflow_state: 'draft', title: null })).resolves.toBeTruthy();
  });

  it('refuses a dangling foreign key', async () => {
    const election = await createElection(ctx.db);
    expect(await sqlState(createCandidate(ctx.db, { election_id: 999_999 }))).toBe('23503');
    expect(await sqlState(createClaim(ctx.db, { candidate_id: 999_999, election_id: election.id }))).toBe(
      '23503',
    );
  });

  it('refuses a claim whose candidate stands in another election', async () => {
    const candidate = await createCandidate(ctx.db);
    const other = await createElection(ctx.db);
    expect(await sqlState(createClaim(ctx.db, { candidate_id: candidate.id, election_id: other.id }))).toBe(
      '23503',
    );
  });

  it('refuses a duplicate slug', async () => {
    const claim = await createClaim(ctx.db);
    expect(await sqlState(createClaim(ctx.db, { slug: claim.slug }))).toBe('23505');
  });

  it('refuses evidence links that are not http or https', async () => {
    const claim = await createClaim(ctx.db);
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.org/x', 'https://a b']) {
      expect(await sqlState(createEvidence(ctx.db, { claim_id: claim.id, url }))).toBe('23514');
    }
  });

  it('keeps status updates and the audit log append-only', async () => {
    const claim = await createClaim(ctx.db);
    const user = await createUser(ctx.db);
    const [update] = await ctx
      .db('status_updates')
      .insert({
        claim_id: claim.id,
        from_status: 'unverified',
        to_status: 'unverified',
        note: 'Catatan',
        proposed_by: user.id,
      })
      .returning('*');
    await recordAudit(ctx.db, {
      actorId: user.id,
      action: 'test.write',
      entity: 'claim',
      entityId: claim.id,
    });

    expect(await sqlState(ctx.db('status_updates').where({ id: update.id }).update({ note: 'Diubah' }))).toBe(
      '23001',
    );
    expect(await sqlState(ctx.db('status_updates').where({ id: update.id }).delete())).toBe('23001');
    expect(await sqlState(ctx.db('audit_log').update({ action: 'forged' }))).toBe('23001');
    expect(await sqlState(ctx.db('audit_log').delete())).toBe('23001');
    expect(await sqlState(ctx.db.raw('TRUNCATE audit_log'))).toBe('23001');

    expect((await ctx.db('status_updates').where({ id: update.id }).first()).note).toBe('Catatan');
    expect(await ctx.db('audit_log').where({ action: 'test.write' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
