import type { Knex } from 'knex';
import { z } from 'zod';
import { TooManyRequestsError, UnauthorizedError } from '../../lib/errors';
import { credentialOf, dummyPasswordHash, verifyPassword } from '../../lib/passwords';
import { recordAudit } from '../audit/audit.repository';
import type { SessionUser } from '../users/accounts';
import type { UsersRepository } from '../users/users.repository';
import type { SignInAttemptsRepository, SignInOutcome } from './sign-in-attempts.repository';

/** Failures counted over this window; older ones no longer count, so no lock-out lasts longer. */
export const THROTTLE_WINDOW_SECONDS = 15 * 60;
/** Checked guesses per account (from anywhere) within the window. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Checked guesses per IP address (at any accounts) within the window. */
export const MAX_FAILURES_PER_IP = 20;
// Longer than any password we let anyone set; refused before hashing so that nobody can make us hash megabytes.
const MAX_PASSWORD_TO_CHECK = 1024;

/** Whatever is wrong with the input, the answer is the same generic refusal: no field-level hints here. */
const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(254)
    .regex(/^[^\u0000]*$/),
  password: z.string().min(1).max(MAX_PASSWORD_TO_CHECK),
});

export class SignInFailedError extends UnauthorizedError {
  constructor() {
    super('sign_in_failed');
  }
}

export interface SignInInput {
  email: unknown;
  password: unknown;
  ip: string;
  requestId?: string | undefined;
}

export function authService(deps: { db: Knex; users: UsersRepository; attempts: SignInAttemptsRepository }) {
  const { db, users, attempts } = deps;

  async function fail(
    email: string,
    ip: string,
    outcome: SignInOutcome,
    userId: number | null,
  ): Promise<never> {
    await attempts.record(db, { email, ip, outcome, userId });
    throw new SignInFailedError();
  }

  return {
    /**
     * Checks an email and password. Whatever the reason for a refusal (no such account, wrong password,
     * disabled account) the caller learns only that it failed; every attempt is recorded.
     */
    async signIn(input: SignInInput): Promise<SessionUser & { credential: string }> {
      const parsed = signInSchema.safeParse({ email: input.email, password: input.password });
      // What is recorded and throttled on, even for input that does not parse.
      const email = parsed.success
        ? parsed.data.email
        : (typeof input.email === 'string' ? input.email.trim().toLowerCase() : '')
            .slice(0, 254)
            // NUL cannot be stored in the attempts table (PostgreSQL text): recorded as U+FFFD.
            .replace(/\u0000/g, '\ufffd');
      const password = parsed.success ? parsed.data.password : '';
      const ip = input.ip.slice(0, 64);

      const recent = await attempts.recentFailures(email, ip, THROTTLE_WINDOW_SECONDS);
      const limited = [
        recent.email.count >= MAX_FAILURES_PER_EMAIL ? recent.email.secondsUntilOldestExpires : 0,
        recent.ip.count >= MAX_FAILURES_PER_IP ? recent.ip.secondsUntilOldestExpires : 0,
      ];
      const wait = Math.max(...limited);
      if (recent.email.count >= MAX_FAILURES_PER_EMAIL || recent.ip.count >= MAX_FAILURES_PER_IP) {
        await attempts.record(db, { email, ip, outcome: 'throttled', userId: null });
        throw new TooManyRequestsError('sign_in_throttled', Math.max(1, wait));
      }

      if (!parsed.success) {
        return fail(email, ip, 'invalid_input', null);
      }
      const user = await users.findByEmail(email);
      // Check a password even when there is no account, so that the answer takes as long either way.
      const matches = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user) return fail(email, ip, 'unknown_email', null);
      if (!matches) return fail(email, ip, 'wrong_password', user.id);
      if (!user.active) return fail(email, ip, 'disabled', user.id);

      await db.transaction(async (trx) => {
        await attempts.record(trx, { email, ip, outcome: 'succeeded', userId: user.id });
        await recordAudit(trx, {
          actorId: user.id,
          action: 'user.sign_in',
          entity: 'user',
          entityId: user.id,
          after: { ip },
          requestId: input.requestId,
        });
      });
      return {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        credential: credentialOf(user.password_hash),
      };
    },

    async signOut(user: SessionUser, requestId?: string): Promise<void> {
      await db.transaction(async (trx) => {
        await recordAudit(trx, {
          actorId: user.id,
          action: 'user.sign_out',
          entity: 'user',
          entityId: user.id,
          requestId,
        });
      });
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
