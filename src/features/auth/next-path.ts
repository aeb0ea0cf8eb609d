const PLACEHOLDER_ORIGIN = 'http://kawal-janji.invalid';

/**
 * Where to go after signing in: only a path on this site. Anything that a browser could read as another
 * host (`//evil`, `/\evil`, `https://evil`), control characters, and the sign-in pages themselves give
 * undefined, and the caller falls back to the newsroom.
 */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return undefined;
  if (url.pathname === '/login' || url.pathname === '/logout') return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
