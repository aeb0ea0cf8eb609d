import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { isCompiled, projectRoot } from './build-info';

/** The migrations' TypeScript sources. */
export const migrationsDir = path.join(projectRoot, 'migrations');
/** Where the migrations that run live: compiled into dist/migrations by the build, or the sources under tsx. */
const runDir = isCompiled ? path.join(projectRoot, 'dist', 'migrations') : migrationsDir;
const runExtension = isCompiled ? '.js' : '.ts';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Our own source rather than knex's directory loader: importing the files from our code lets tsx (in
// development), vitest (in tests) and node (the build's .js files) load them alike. A migration keeps
// its source's name (…ts) in knex_migrations whichever file runs it, so that a database migrated by one
// is current for the other.
export const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(runDir)
      .filter((name) => /^\d{14}_[a-z0-9_]+\.[jt]s$/.test(name) && name.endsWith(runExtension))
      .map((name) => `${name.slice(0, -runExtension.length)}.ts`)
      .sort();
  },
  getMigrationName(name) {
    return name;
  },
  async getMigration(name) {
    const file = path.join(runDir, `${name.slice(0, -'.ts'.length)}${runExtension}`);
    const mod = (await import(pathToFileURL(file).href)) as MigrationModule;
    return { up: mod.up, down: mod.down };
  },
};
