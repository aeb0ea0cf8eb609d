import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/build.mjs writes into the compiled code (esbuild's `define`); absent under tsx and vitest. */
declare const __KJ_BUILD__: { id: string; time: number } | undefined;

const compiled = typeof __KJ_BUILD__ === 'undefined' ? undefined : __KJ_BUILD__;

/** True when running the compiled JavaScript in dist/ rather than TypeScript through tsx or vitest. */
export const isCompiled = compiled !== undefined;

/**
 * The project's directory (the one holding package.json): src/lib/ in development, dist/ when compiled,
 * and dist/cli/ for the command-line tools all find the same root, and views/ beside it.
 */
export const projectRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the running code');
    dir = parent;
  }
  return dir;
})();

/**
 * The code that renders pages, as ETags and Last-Modified see it. Compiled: a hash of the sources, views
 * and lockfile made at build time, and their newest modification time, so that every instance of one
 * build agrees and a deploy that changes a template or a string changes every ETag. Under tsx (which
 * reloads on every change) and in tests: one id per process, dated when it started.
 */
export const deploy: { readonly id: string; readonly time: Date } = compiled
  ? { id: compiled.id, time: new Date(compiled.time) }
  : {
      id: `dev-${process.pid}-${Date.now().toString(36)}`,
      time: new Date(Math.floor(Date.now() / 1000) * 1000),
    };
