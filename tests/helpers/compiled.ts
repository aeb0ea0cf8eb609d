import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The command that runs a compiled entry point the way `npm start` and the other npm scripts do: node on
 * dist/ (which the tests' global setup builds when it is missing or stale), with source maps.
 */
export function compiled(entry: 'server' | `cli/${'user' | 'migrate' | 'seed' | 'export' | 'import'}`) {
  return {
    command: process.execPath,
    args: ['--enable-source-maps', path.join(ROOT, 'dist', `${entry}.js`)],
  };
}
