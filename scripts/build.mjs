#!/usr/bin/env node
// Compiles the server, the command-line tools and the migrations into dist/ (esbuild: one bundle per
// entry point, dependencies left to node_modules, source maps beside each file). Plain JavaScript, so
// that it runs before anything is compiled and without tsx.
//
//   node scripts/build.mjs              build now
//   node scripts/build.mjs --if-stale   build only when dist/ is missing or was built from other sources
//                                       (what `npm start` and the other npm scripts run first)
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, 'build.json');

/** Everything the compiled code or the pages it renders are made of. */
const inputs = [
  'src',
  'views',
  'migrations',
  'seeds',
  'package.json',
  'package-lock.json',
  'scripts/build.mjs',
];

function files() {
  const found = [];
  for (const input of inputs) {
    const full = path.join(root, input);
    if (!fs.existsSync(full)) continue;
    if (fs.statSync(full).isFile()) {
      found.push(input);
      continue;
    }
    for (const name of fs.readdirSync(full, { recursive: true })) {
      const relative = path.join(input, String(name));
      if (fs.statSync(path.join(root, relative)).isFile()) found.push(relative);
    }
  }
  return found.sort();
}

/** A hash of the inputs' names and contents (the deploy id), and the newest modification time among them. */
function fingerprint() {
  const hash = createHash('sha256');
  let newest = 0;
  for (const file of files()) {
    const full = path.join(root, file);
    hash.update(file.split(path.sep).join('/')).update('\0').update(fs.readFileSync(full)).update('\0');
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return { id: hash.digest('base64url').slice(0, 16), time: Math.floor(newest / 1000) * 1000 };
}

function built() {
  try {
    return JSON.parse(fs.readFileSync(stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

async function build(print) {
  const started = performance.now();
  const { id, time } = fingerprint();
  // Loaded only when building: an installation without dev dependencies (the Docker image) has no esbuild.
  const esbuild = await import('esbuild');
  const cli = ['export', 'import', 'migrate', 'seed', 'user'];
  const migrations = fs.readdirSync(path.join(root, 'migrations')).filter((name) => name.endsWith('.ts'));
  // Built beside dist/ and swapped in whole, so that a server running from dist/ (or a second build
  // started at the same time, as two test runs may) never sees half of one.
  const out = path.join(root, `.dist-${process.pid}`);
  fs.rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [
      { in: 'src/server.ts', out: 'server' },
      ...cli.map((name) => ({ in: `src/cli/${name}.ts`, out: `cli/${name}` })),
      ...migrations.map((name) => ({ in: `migrations/${name}`, out: `migrations/${name.slice(0, -3)}` })),
    ],
    outdir: out,
    bundle: true,
    // node_modules stay where they are: node loads them at run time, as it does under tsx.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Stack traces keep function names, and pino's and Express's messages read as in the sources.
    keepNames: true,
    define: { __KJ_BUILD__: JSON.stringify({ id, time }) },
    logLevel: 'warning',
  });
  fs.writeFileSync(
    path.join(out, 'build.json'),
    `${JSON.stringify({ id, time: new Date(time).toISOString() }, null, 2)}\n`,
  );
  const old = path.join(root, `.dist-old-${process.pid}`);
  if (fs.existsSync(dist)) fs.renameSync(dist, old);
  fs.renameSync(out, dist);
  fs.rmSync(old, { recursive: true, force: true });
  print(`built dist/ (deploy ${id}) in ${Math.round(performance.now() - started)} ms`);
}

const ifStale = process.argv.includes('--if-stale');
// Progress goes to standard error: `npm run export > file` must leave the file to the export alone.
const print = (line) => process.stderr.write(`${line}\n`);

if (ifStale && !fs.existsSync(path.join(root, 'src'))) {
  // An installation of the compiled code only (the Docker image): nothing to build from.
  if (!fs.existsSync(path.join(dist, 'server.js'))) {
    print('dist/ is missing and there are no sources to build it from');
    process.exit(1);
  }
} else if (ifStale && built()?.id === fingerprint().id) {
  // Up to date.
} else {
  try {
    await build(print);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') {
      print('esbuild is not installed: run `npm install` (with dev dependencies) before building');
    } else if (!err?.errors) {
      print(String(err?.stack ?? err));
    }
    process.exit(1);
  }
}
