import { createHash, createHmac, randomBytes } from 'node:crypto';

/** What a token in a reader's link may do; each is looked up in its own column, so none does another's job. */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'manage' | 'unsubscribe_digest';

/**
 * Keys for readers' links and for the hashes that stand in for their IP addresses and emails, derived
 * from SESSION_SECRET (one secret to keep, separate keys for separate jobs). A link's token is an HMAC
 * of its purpose and a random salt kept with the row, so every message can carry the same link while
 * the database holds only the token's SHA-256: someone who reads the database cannot use the links.
 * Changing SESSION_SECRET therefore makes the links in emails already sent stop working.
 */
export function readerKeys(secret: string) {
  const derive = (label: string) => createHmac('sha256', secret).update(`kawal-janji:${label}`).digest();
  const tokenKey = derive('reader-link-tokens');
  const hashKey = derive('reader-request-hashes');
  return {
    newSalt(): string {
      return randomBytes(18).toString('base64url');
    },
    token(purpose: TokenPurpose, salt: string): string {
      return createHmac('sha256', tokenKey).update(`${purpose}:${salt}`).digest('base64url');
    },
    /** What is stored for a token, and what a presented token is looked up by. */
    hash(token: string): string {
      return createHash('sha256').update(token).digest('hex');
    },
    /** A keyed hash of an IP address or an email, for counting without keeping the value. */
    keyed(kind: 'ip' | 'email', value: string): string {
      return createHmac('sha256', hashKey).update(`${kind}:${value}`).digest('hex');
    },
  };
}

export type ReaderKeys = ReturnType<typeof readerKeys>;

/** A token as it may appear in a path: what readerKeys makes (43 base64url characters). */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
