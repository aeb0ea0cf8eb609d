import http from 'node:http';
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Role } from '../../src/features/users/users.repository';
import type { TestContext } from '../helpers/app';
import { createUser } from '../helpers/factories';
import { type NewsroomSession, signIn } from '../helpers/newsroom';

/**
 * One real HTTP server for a test file's concurrent requests (supertest would start one per request),
 * with keep-alive off so that every request is a connection of its own, as from many browsers.
 */
export function listen(app: Express): { server: http.Server; close: () => Promise<void> } {
  const server = http.createServer({ keepAlive: false }, app).listen(0, '127.0.0.1');
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A newsroom account of its own, signed in through the real form against that server. */
export async function signInOn(
  server: http.Server,
  db: Knex,
  role: Role,
  name: string,
): Promise<NewsroomSession> {
  const user = await createUser(db, { role, display_name: name });
  return signIn(server as unknown as Express, user);
}

export interface Team {
  http: ReturnType<typeof listen>;
  reporters: NewsroomSession[];
  editors: NewsroomSession[];
}

/** Three reporters and three editors, each signed in through the form, on one listening server for the file. */
export function useTeam(ctx: TestContext): Team {
  const team = { reporters: [], editors: [] } as unknown as Team;
  beforeAll(async () => {
    team.http = listen(ctx.app);
    for (let i = 0; i < 3; i += 1)
      team.reporters.push(await signInOn(team.http.server, ctx.db, 'reporter', `Reporter ${i}`));
    for (let i = 0; i < 3; i += 1)
      team.editors.push(await signInOn(team.http.server, ctx.db, 'editor', `Editor ${i}`));
  });
  afterAll(async () => {
    await team.http?.close();
  });
  return team;
}

/** Counts of each status among responses. */
export function statusCounts(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

export function expectNo5xx(responses: Response[], what: string): void {
  const failures = responses.filter((res) => res.status >= 500);
  expect(
    failures.map((res) => `${res.status} ${res.text.slice(0, 200)}`),
    what,
  ).toEqual([]);
}

/** The approved changes of a claim as the tables hold them, in the order they were applied. */
export async function approvedInOrder(db: Knex, claimId: number) {
  return db('status_updates as u')
    .join('status_reviews as r', 'r.status_update_id', 'u.id')
    .where({ 'u.claim_id': claimId, 'r.decision': 'approved' })
    .orderBy('r.id')
    .select('u.id', 'u.note', 'u.to_status', 'r.applied_from_status', 'r.id as review_id');
}
