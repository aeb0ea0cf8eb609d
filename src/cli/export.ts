import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config';
import { createDb } from '../db';
import { backupRepository } from '../features/backup/backup.repository';
import { BackupRefusedError, backupService } from '../features/backup/backup.service';

const USAGE = `Usage:
  npm run export -- FILE    writes the whole database to FILE as JSON (FILE "-" writes to standard output)`;

/** Writes through a temporary file and a rename, so that FILE is either the old file or a whole backup. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.partial`;
  const handle = await fsp.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(temporary, file);
  } catch (err) {
    await fsp.rm(temporary, { force: true });
    throw err;
  }
}

async function run(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  if (!config.databaseUrl && !fs.existsSync(config.dataDir)) {
    throw new BackupRefusedError(
      `there is no embedded database in ${config.dataDir} (set DATA_DIR or DATABASE_URL)`,
    );
  }
  // No migrations here: a backup copies the database as it is and never changes it. Reading a whole
  // table may take longer than a page's statement timeout on a large database.
  const db = createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 1,
    statementTimeoutMs: 0,
  });
  try {
    const { text, summary } = await backupService({ backups: backupRepository(db) }).exportDatabase();
    if (file === '-') {
      process.stdout.write(text);
    } else {
      await writeAtomically(file, text);
      process.stdout.write(
        `Wrote ${summary.total} rows from ${Object.keys(summary.rows).length} tables to ${file} (sessions and sign-in attempts are left out).\n`,
      );
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof BackupRefusedError || err instanceof ConfigError) {
    process.stderr.write(`Export refused: ${err.message}\n`);
  } else {
    process.stderr.write(`Export failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
}
