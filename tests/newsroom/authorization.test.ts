import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/features/users/users.repository';
import { createCandidate, createClaim, createEvidence, createTopic, createUser } from '../helpers/factories';
import {
  type Fields,
  formBody,
  type NewsroomSession,
  signIn,
  signInAs,
  useNewsroomApp,
} from '../helpers/newsroom';

type Principal = 'anonymous' | 'disabled' | Role;
const PRINCIPALS: Principal[] = ['anonymous', 'disabled', 'reporter', 'editor', 'admin'];
const RANK: Record<Role, number> = { reporter: 1, editor: 2, admin: 3 };

interface RouteCase {
  method: 'GET' | 'POST';
  path: string;
  /** The least role allowed. */
  role: Role;
  /** What an allowed role gets (the fixtures make allowed writes fail harmlessly: 400, 404 or 409). */
  allowed: number;
  body?: Fields;
}

const STALE = { version: 999_999 };

/** Path patterns: `:claim`, `:evidence`… are filled with the fixtures' ids. */
const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/newsroom', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/new', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim/edit', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim/evidence', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim/evidence/:evidence/edit', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim/status', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/claims/:claim/history', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/review', role: 'editor', allowed: 200 },
  { method: 'GET', path: '/newsroom/elections', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/elections/new', role: 'editor', allowed: 200 },
  { method: 'GET', path: '/newsroom/elections/:election/edit', role: 'editor', allowed: 200 },
  {
    method: 'GET',
    path: '/newsroom/elections/:election/candidates/new',
    role: 'editor',
    allowed: 200,
  },
  { method: 'GET', path: '/newsroom/candidates/:candidate/edit', role: 'editor', allowed: 200 },
  { method: 'GET', path: '/newsroom/topics', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/topics/:topic/edit', role: 'editor', allowed: 200 },
  { method: 'GET', path: '/newsroom/import', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/finder', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/export/claims.csv', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/export/evidence.csv', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/export/status-updates.csv', role: 'reporter', allowed: 200 },
  { method: 'GET', path: '/newsroom/users', role: 'admin', allowed: 200 },
  { method: 'GET', path: '/newsroom/users/:user', role: 'admin', allowed: 200 },
  { method: 'GET', path: '/newsroom/audit', role: 'admin', allowed: 200 },

  { method: 'POST', path: '/newsroom/claims/new', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/claims', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/claims/:claim/edit', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/claims/:claim/submit', role: 'reporter', allowed: 409, body: STALE },
  { method: 'POST', path: '/newsroom/claims/:claim/publish', role: 'editor', allowed: 409, body: STALE },
  { method: 'POST', path: '/newsroom/claims/:claim/return', role: 'editor', allowed: 409, body: STALE },
  {
    method: 'POST',
    path: '/newsroom/claims/:claim/retract',
    role: 'editor',
    allowed: 409,
    body: { ...STALE, retraction_reason: 'Alasan' },
  },
  { method: 'POST', path: '/newsroom/claims/:claim/evidence', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/claims/:claim/evidence/:evidence/edit', role: 'reporter', allowed: 400 },
  {
    method: 'POST',
    path: '/newsroom/claims/:claim/evidence/:evidence/remove',
    role: 'reporter',
    allowed: 400,
  },
  { method: 'POST', path: '/newsroom/claims/:claim/status', role: 'reporter', allowed: 400 },
  {
    method: 'POST',
    path: '/newsroom/status-updates/:update/approve',
    role: 'editor',
    allowed: 409,
  },
  {
    method: 'POST',
    path: '/newsroom/status-updates/:update/reject',
    role: 'editor',
    allowed: 409,
    body: { reason: 'x' },
  },
  { method: 'POST', path: '/newsroom/elections/new', role: 'editor', allowed: 400 },
  { method: 'POST', path: '/newsroom/elections/:election/edit', role: 'editor', allowed: 400 },
  {
    method: 'POST',
    path: '/newsroom/elections/:election/candidates/new',
    role: 'editor',
    allowed: 400,
  },
  { method: 'POST', path: '/newsroom/candidates/:candidate/edit', role: 'editor', allowed: 400 },
  { method: 'POST', path: '/newsroom/topics', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/topics/:topic/edit', role: 'editor', allowed: 400 },
  { method: 'POST', path: '/newsroom/import', role: 'reporter', allowed: 400, body: { csv: '' } },
  { method: 'POST', path: '/newsroom/finder', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/finder/save', role: 'reporter', allowed: 400 },
  { method: 'POST', path: '/newsroom/users', role: 'admin', allowed: 400 },
  { method: 'POST', path: '/newsroom/users/:user', role: 'admin', allowed: 400 },
  { method: 'POST', path: '/newsroom/users/999999/disable', role: 'admin', allowed: 404 },
  { method: 'POST', path: '/newsroom/users/999999/enable', role: 'admin', allowed: 404 },
  {
    method: 'POST',
    path: '/newsroom/users/:user/password',
    role: 'admin',
    allowed: 400,
    body: { password: 'pendek' },
  },
];

/**
 * Every newsroom route × {anonymous, disabled, reporter, editor, admin}: the server refuses what a role
 * may not do (403) whatever the page shows, and someone signed out is sent to sign in (GET) or gets 401.
 */
describe('authorization matrix', () => {
  const ctx = useNewsroomApp();
  const sessions = {} as Record<Principal, NewsroomSession | undefined>;
  const ids = {} as Record<
    'claim' | 'evidence' | 'update' | 'election' | 'candidate' | 'topic' | 'user',
    number
  >;

  beforeAll(async () => {
    const candidate = await createCandidate(ctx.db);
    const claim = await createClaim(ctx.db, {
      candidate_id: candidate.id,
      workflow_state: 'draft',
      kind: 'statement',
    });
    const evidence = await createEvidence(ctx.db, { claim_id: claim.id });
    const topic = await createTopic(ctx.db);
    const someone = await createUser(ctx.db);
    const [update] = await ctx
      .db('status_updates')
      .insert({
        claim_id: claim.id,
        from_status: 'unverified',
        to_status: 'unproven',
        note: 'Catatan',
        proposed_by: someone.id,
      })
      .returning('*');
    await ctx.db('status_reviews').insert({
      status_update_id: update.id,
      decision: 'rejected',
      reason: 'Belum cukup',
      reviewed_by: someone.id,
    });
    Object.assign(ids, {
      claim: claim.id,
      evidence: evidence.id,
      update: update.id,
      election: candidate.election_id,
      candidate: candidate.id,
      topic: topic.id,
      user: someone.id,
    });
    sessions.anonymous = undefined;
    for (const role of ['reporter', 'editor', 'admin'] as const)
      sessions[role] = await signInAs(ctx.app, ctx.db, role);
    const doomed = await createUser(ctx.db, { role: 'admin' });
    sessions.disabled = await signIn(ctx.app, doomed);
    await ctx.db('users').where({ id: doomed.id }).update({ active: false });
  });

  function expected(route: RouteCase, who: Principal): number {
    if (who === 'anonymous' || who === 'disabled') return route.method === 'GET' ? 303 : 401;
    return RANK[who] >= RANK[route.role] ? route.allowed : 403;
  }

  async function send(route: RouteCase, who: Principal) {
    const session = sessions[who];
    if (!session) {
      const agent = request(ctx.app);
      return route.method === 'GET'
        ? agent.get(route.path)
        : agent
            .post(route.path)
            .type('form')
            .send(formBody(route.body ?? {}));
    }
    return route.method === 'GET' ? session.get(route.path) : session.post(route.path, route.body ?? {});
  }

  function resolve(pattern: string): string {
    return pattern.replace(/:([a-z]+)/g, (whole, name: string) =>
      name in ids ? String(ids[name as keyof typeof ids]) : whole,
    );
  }

  for (const route of ROUTES) {
    const summary = PRINCIPALS.map((who) => `${who} ${expected(route, who)}`).join(', ');
    it(`${route.method} ${route.path}: ${summary}`, async () => {
      const resolved = { ...route, path: resolve(route.path) };
      for (const who of PRINCIPALS) {
        const res = await send(resolved, who);
        expect(res.status, `${route.method} ${resolved.path} as ${who}`).toBe(expected(route, who));
        if (res.status === 303) expect(res.headers.location).toMatch(/^\/login\?next=/);
      }
    });
  }

  it('nothing changed: the refused and harmless requests wrote no claim, evidence, topic or audit row', async () => {
    const claim = await ctx.db('claims').where({ id: ids.claim }).first();
    expect(claim.workflow_state).toBe('draft');
    expect(claim.version).toBe(1);
    const writes = await ctx
      .db('audit_log')
      .whereNot('action', 'like', 'user.sign_%')
      .count<{ n: number }[]>({ n: '*' });
    expect(writes).toEqual([{ n: 0 }]);
  });

  it('the newsroom pages hide what a role cannot do', async () => {
    const reporterPage = await sessions.reporter!.get(`/newsroom/claims/${ids.claim}`).expect(200);
    expect(reporterPage.text).not.toContain('/publish');
    expect(reporterPage.text).not.toContain('href="/newsroom/users"');
    expect(reporterPage.text).not.toContain('href="/newsroom/review"');
    const editorPage = await sessions.editor!.get(`/newsroom/claims/${ids.claim}`).expect(200);
    expect(editorPage.text).toContain(`/newsroom/claims/${ids.claim}/publish`);
    expect(editorPage.text).not.toContain('href="/newsroom/audit"');
    const adminPage = await sessions.admin!.get('/newsroom').expect(200);
    expect(adminPage.text).toContain('href="/newsroom/users"');
    expect(adminPage.text).toContain('href="/newsroom/audit"');
  });

  it('newsroom pages are never cached', async () => {
    const res = await sessions.reporter!.get('/newsroom').expect(200);
    expect(res.headers['cache-control']).toContain('no-store');
  });
});
