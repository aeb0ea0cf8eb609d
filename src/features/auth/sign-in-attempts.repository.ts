import type { Knex } from 'knex';

export type SignInOutcome =
  | 'succeeded'
  | 'wrong_password'
  | 'unknown_email'
  | 'disabled'
  | 'throttled'
  | 'invalid_input';

export interface FailureCount {
  count: number;
  /** Seconds until the oldest counted failure leaves the window (0 when nothing is counted). */
  secondsUntilOldestExpires: number;
}

export function signInAttemptsRepository(db: Knex) {
  return {
    async record(
      trx: Knex,
      attempt: { email: string; ip: string; outcome: SignInOutcome; userId: number | null },
    ): Promise<void> {
      await trx('sign_in_attempts').insert({
        email: attempt.email,
        ip: attempt.ip,
        succeeded: attempt.outcome === 'succeeded',
        outcome: attempt.outcome,
        user_id: attempt.userId,
      });
    },

    /**
     * Failures within the window for this email (since its last success, if that is later) and for this
     * IP. Throttled attempts are not counted: only guesses that were actually checked are.
     */
    async recentFailures(
      email: string,
      ip: string,
      windowSeconds: number,
    ): Promise<{ email: FailureCount; ip: FailureCount }> {
      const failures = `NOT succeeded AND outcome IS DISTINCT FROM 'throttled'`;
      const { rows } = await db.raw<{
        rows: { email_count: number; email_wait: number | null; ip_count: number; ip_wait: number | null }[];
      }>(
        `WITH email_failures AS (
           SELECT created_at FROM sign_in_attempts
            WHERE email = ? AND ${failures}
              AND created_at > greatest(
                    now() - make_interval(secs => ?),
                    coalesce((SELECT max(created_at) FROM sign_in_attempts WHERE email = ? AND succeeded),
                             '-infinity'::timestamptz))
         ), ip_failures AS (
           SELECT created_at FROM sign_in_attempts
            WHERE ip = ? AND ${failures} AND created_at > now() - make_interval(secs => ?)
         )
         SELECT
           (SELECT count(*) FROM email_failures) AS email_count,
           (SELECT extract(epoch FROM min(created_at) + make_interval(secs => ?) - now()) FROM email_failures) AS email_wait,
           (SELECT count(*) FROM ip_failures) AS ip_count,
           (SELECT extract(epoch FROM min(created_at) + make_interval(secs => ?) - now()) FROM ip_failures) AS ip_wait`,
        [email, windowSeconds, email, ip, windowSeconds, windowSeconds, windowSeconds],
      );
      const row = rows[0]!;
      return {
        email: {
          count: Number(row.email_count),
          secondsUntilOldestExpires: Math.ceil(Number(row.email_wait ?? 0)),
        },
        ip: { count: Number(row.ip_count), secondsUntilOldestExpires: Math.ceil(Number(row.ip_wait ?? 0)) },
      };
    },
  };
}

export type SignInAttemptsRepository = ReturnType<typeof signInAttemptsRepository>;
