import type { Knex } from 'knex';
import { AppError } from '../../lib/errors';
import type { BackupRepository, TableShape } from './backup.repository';
import {
  BACKED_UP_TABLES,
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type BackedUpTable,
  type BackupDocument,
  backupDocumentSchema,
  LEFT_OUT_TABLES,
  MIGRATION_TABLES,
} from './backup.schemas';

/** A backup or restore that was not done, with a message meant for the person running it. */
export class BackupRefusedError extends AppError {
  constructor(message: string) {
    super('backup_refused', 409, message);
  }
}

export interface BackupSummary {
  /** Rows per backed-up table. */
  rows: Record<BackedUpTable, number>;
  total: number;
}

function summarise(document: BackupDocument): BackupSummary {
  const rows = Object.fromEntries(
    BACKED_UP_TABLES.map((table) => [table, document.tables[table].length]),
  ) as Record<BackedUpTable, number>;
  return { rows, total: Object.values(rows).reduce((sum, n) => sum + n, 0) };
}

/**
 * The file's text: one row per line, tables in restore order, rows in primary-key order, so that the
 * same database always gives the same bytes and two backups compare with diff.
 */
export function formatBackup(document: BackupDocument): string {
  const lines = [
    '{',
    `  "format": ${JSON.stringify(document.format)},`,
    `  "format_version": ${JSON.stringify(document.format_version)},`,
    `  "schema_migrations": ${JSON.stringify(document.schema_migrations)},`,
    `  "left_out": ${JSON.stringify(document.left_out)},`,
    '  "tables": {',
  ];
  BACKED_UP_TABLES.forEach((table, index) => {
    const comma = index < BACKED_UP_TABLES.length - 1 ? ',' : '';
    const rows = document.tables[table];
    if (rows.length === 0) {
      lines.push(`    ${JSON.stringify(table)}: []${comma}`);
      return;
    }
    lines.push(`    ${JSON.stringify(table)}: [`);
    rows.forEach((row, i) => {
      lines.push(`      ${JSON.stringify(row)}${i < rows.length - 1 ? ',' : ''}`);
    });
    lines.push(`    ]${comma}`);
  });
  lines.push('  }', '}', '');
  return lines.join('\n');
}

/** Reads a backup file's text, refusing anything that is not a backup this version can restore. */
export function parseBackup(text: string): BackupDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BackupRefusedError('the file is not JSON, so it is not a Kawal Janji backup');
  }
  const head = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (head.format !== BACKUP_FORMAT) {
    throw new BackupRefusedError(`the file is not a Kawal Janji backup (no "format": "${BACKUP_FORMAT}")`);
  }
  if (head.format_version !== BACKUP_FORMAT_VERSION) {
    throw new BackupRefusedError(
      `unknown backup format version ${JSON.stringify(head.format_version)}: this version of Kawal Janji reads format version ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const parsed = backupDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new BackupRefusedError(`the backup is malformed: ${problems.join('; ')}`);
  }
  return parsed.data as BackupDocument;
}

export function backupService(deps: { backups: BackupRepository }) {
  const { backups } = deps;

  /** The catalog of the backed-up tables, refusing a database whose tables the backup does not know. */
  async function shapesOf(trx: Knex): Promise<Map<string, TableShape>> {
    const present = await backups.tableNames(trx);
    const known = new Set<string>([...BACKED_UP_TABLES, ...LEFT_OUT_TABLES, ...MIGRATION_TABLES]);
    const unknown = present.filter((table) => !known.has(table));
    if (unknown.length > 0) {
      // A new table that the backup silently skipped would be lost at the first restore.
      throw new BackupRefusedError(
        `the database has tables that the backup does not cover: ${unknown.join(', ')} (add them to BACKED_UP_TABLES or LEFT_OUT_TABLES in src/features/backup/backup.schemas.ts)`,
      );
    }
    const missing = BACKED_UP_TABLES.filter((table) => !present.includes(table));
    if (missing.length > 0) {
      throw new BackupRefusedError(
        `the database is not migrated (no ${missing.join(', ')}); run npm run migrate first`,
      );
    }
    const shapes = await backups.describe(trx, BACKED_UP_TABLES);
    for (const shape of shapes.values()) {
      if (shape.primaryKey.length === 0) {
        throw new BackupRefusedError(`table ${shape.name} has no primary key, so its order is not stable`);
      }
    }
    return shapes;
  }

  return {
    /** The whole database (less LEFT_OUT_TABLES) as a backup document, from one consistent snapshot. */
    async exportDatabase(): Promise<{ text: string; summary: BackupSummary }> {
      const document = await backups.snapshot(async (trx) => {
        const shapes = await shapesOf(trx);
        const tables = {} as BackupDocument['tables'];
        for (const table of BACKED_UP_TABLES) tables[table] = await backups.readRows(trx, shapes.get(table)!);
        return {
          format: BACKUP_FORMAT,
          format_version: BACKUP_FORMAT_VERSION,
          schema_migrations: await backups.appliedMigrations(trx),
          left_out: [...LEFT_OUT_TABLES],
          tables,
        } satisfies BackupDocument;
      });
      return { text: formatBackup(document), summary: summarise(document) };
    },

    /**
     * Restores a backup into an empty, migrated database of the same schema, in one transaction:
     * either every row is stored or none is. Id sequences continue after the largest restored id.
     */
    async importDatabase(backup: string | BackupDocument): Promise<BackupSummary> {
      const document = typeof backup === 'string' ? parseBackup(backup) : backup;
      await backups.transaction(async (trx) => {
        const shapes = await shapesOf(trx);

        const target = await backups.appliedMigrations(trx);
        const onlyInBackup = document.schema_migrations.filter((name) => !target.includes(name));
        const onlyInTarget = target.filter((name) => !document.schema_migrations.includes(name));
        if (onlyInBackup.length > 0 || onlyInTarget.length > 0) {
          const differences = [
            ...(onlyInBackup.length > 0 ? [`only the backup has run ${onlyInBackup.join(', ')}`] : []),
            ...(onlyInTarget.length > 0 ? [`only this database has run ${onlyInTarget.join(', ')}`] : []),
          ];
          throw new BackupRefusedError(
            `the backup was made at another schema version (${differences.join('; ')}); restore it with the version of Kawal Janji that made it, then upgrade`,
          );
        }

        const holding: string[] = [];
        for (const table of [...BACKED_UP_TABLES, ...LEFT_OUT_TABLES]) {
          const count = await backups.countRows(trx, table);
          if (count > 0) holding.push(`${table}: ${count}`);
        }
        if (holding.length > 0) {
          throw new BackupRefusedError(
            `the target database is not empty (${holding.join(', ')}); restore only into a new, empty database`,
          );
        }

        for (const table of BACKED_UP_TABLES) {
          const shape = shapes.get(table)!;
          const columns = new Set(shape.columns.map((column) => column.name));
          for (const row of document.tables[table]) {
            const stray = Object.keys(row).find((key) => !columns.has(key));
            if (stray) throw new BackupRefusedError(`column ${table}.${stray} is not in this database`);
          }
          await backups.insertRows(trx, shape, document.tables[table]);
        }
        for (const table of BACKED_UP_TABLES) await backups.resetSequences(trx, shapes.get(table)!);
      });
      return summarise(document);
    },
  };
}

export type BackupService = ReturnType<typeof backupService>;
