import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { beforeAll, expect } from 'vitest';
import type { Role, User } from '../../src/features/users/users.repository';
import { type TestContext, useTestApp } from './app';
import { createUser } from './factories';

type FieldValue = string | number | boolean | null | undefined | (string | number)[];
export type Fields = Record<string, FieldValue>;

/** An HTML form body as a browser sends it: repeated names for lists, nothing for null/undefined. */
export function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.append(name, String(value));
  }
  return params.toString();
}

/** The CSRF token in a page's hidden `_csrf` field. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on this page');
  return match[1]!;
}

export interface NewsroomSession {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  user: User & { password: string };
  /** Posts a form with the session's CSRF token. */
  post(url: string, fields?: Fields): request.Test;
  get(url: string): request.Test;
}

/** Signs in through the real /login form (its CSRF cookie and token included) and keeps the cookies. */
export async function signIn(app: Express, user: User & { password: string }): Promise<NewsroomSession> {
  const agent = request.agent(app);
  const page = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send(formBody({ email: user.email, password: user.password, _csrf: csrfFrom(page.text) }))
    .expect(303);
  const home = await agent.get('/newsroom').expect(200);
  const csrf = csrfFrom(home.text);
  return {
    agent,
    csrf,
    user,
    post: (url, fields = {}) =>
      agent
        .post(url)
        .type('form')
        .send(formBody({ _csrf: csrf, ...fields })),
    get: (url) => agent.get(url),
  };
}

/** A new account of the given role, signed in. */
export async function signInAs(
  app: Express,
  db: Knex,
  role: Role,
  overrides: Parameters<typeof createUser>[1] = {},
): Promise<NewsroomSession> {
  const user = await createUser(db, { role, ...overrides });
  return signIn(app, user);
}

/** One signed-in session for each role, as the tests that go through every form need. */
export async function signInEveryRole(
  app: Express,
  db: Knex,
): Promise<Record<'reporter' | 'editor' | 'admin', NewsroomSession>> {
  return {
    reporter: await signInAs(app, db, 'reporter'),
    editor: await signInAs(app, db, 'editor'),
    admin: await signInAs(app, db, 'admin'),
  };
}

/** The id at the end of a redirect such as /newsroom/claims/new?saved=12 or /newsroom/claims/12. */
export function idFromLocation(location: string | undefined): number {
  const match = /(?:saved=|claims\/)(\d+)/.exec(location ?? '');
  expect(match, `no id in ${location}`).toBeTruthy();
  return Number(match![1]);
}

/**
 * useTestApp() plus a warm-up sign-in before the tests: the first argon2 hash and the first compilation
 * of the newsroom's templates take seconds on a busy machine, and belong to the setup's time budget rather
 * than to whichever test happens to run first.
 */
export function useNewsroomApp(overrides: Record<string, string> = {}): TestContext {
  const ctx = useTestApp(overrides);
  beforeAll(async () => {
    const session = await signInAs(ctx.app, ctx.db, 'admin', { display_name: 'Pemanasan' });
    await session.get('/newsroom/claims/new').expect(200);
    await session.post('/logout').expect(303);
  });
  return ctx;
}
