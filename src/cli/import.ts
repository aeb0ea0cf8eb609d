import fsp from 'node:fs/promises';
import { ConfigError } from '../config';
import { backupRepository } from '../features/backup/backup.repository';
import { BackupRefusedError, backupService, parseBackup } from '../features/backup/backup.service';
import { withDatabase } from './context';

const USAGE = `Usage:
  npm run import -- FILE    restores a backup made by npm run export into a new, empty database
                            (FILE "-" reads standard input); run it before the first npm start`;

async function readBackup(file: string): Promise<string> {
  if (file !== '-') return fsp.readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function run(argv: string[]): Promise<number> {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await readBackup(file);
  } catch (err) {
    throw new BackupRefusedError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A file that is no backup is refused before any database is opened (or, new, migrated).
  const document = parseBackup(text);
  // withDatabase migrates first, so that a brand-new database has the schema the backup is checked against.
  const summary = await withDatabase((db) =>
    backupService({ backups: backupRepository(db) }).importDatabase(document),
  );
  process.stdout.write(
    `Restored ${summary.total} rows into ${Object.keys(summary.rows).length} tables from ${file === '-' ? 'standard input' : file}; id sequences continue after the restored ids.\n`,
  );
  return 0;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof BackupRefusedError || err instanceof ConfigError) {
    process.stderr.write(`Import refused: ${err.message}\nNo data was stored.\n`);
  } else {
    process.stderr.write(
      `Import failed: ${err instanceof Error ? err.message : String(err)}\nThe restore runs in one transaction: the database holds all of the backup or none of it.\n`,
    );
  }
  process.exitCode = 1;
}
