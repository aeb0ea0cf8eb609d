/** Which engine this run of the suite uses: the server named by TEST_DATABASE_URL, else the embedded one. */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined;
export const engine: 'postgresql' | 'pglite' = testDatabaseUrl ? 'postgresql' : 'pglite';

/** The URL of another database on the same server as TEST_DATABASE_URL. */
export function databaseUrlFor(name: string): string {
  if (!testDatabaseUrl) throw new Error('no TEST_DATABASE_URL');
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
