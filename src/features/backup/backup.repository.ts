import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { BackupRow, BackupValue } from './backup.schemas';

export interface ColumnShape {
  name: string;
  /** information_schema's data_type, e.g. 'integer', 'timestamp with time zone', 'jsonb'. */
  type: string;
}

export interface TableShape {
  name: string;
  /** Stored columns in table order; generated columns (claims.search) are computed again on restore. */
  columns: ColumnShape[];
  primaryKey: string[];
  /** Columns whose default draws from a sequence (serial ids). */
  serialColumns: string[];
}

// Types that JSON carries as they are; every other type travels as PostgreSQL's own text form.
const NATIVE_TYPES = new Set(['integer', 'smallint', 'bigint', 'boolean', 'text', 'character varying']);

/** Reads a column in the form the backup file stores it (see BackupValue). */
function selectExpression(trx: Knex, column: ColumnShape): Knex.Raw | string {
  switch (column.type) {
    case 'timestamp with time zone':
      return trx.raw(`to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ??`, [
        column.name,
        column.name,
      ]);
    case 'timestamp without time zone':
      return trx.raw(`to_char(??, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS ??`, [column.name, column.name]);
    case 'date':
      return trx.raw(`to_char(??, 'YYYY-MM-DD') AS ??`, [column.name, column.name]);
    default:
      return NATIVE_TYPES.has(column.type)
        ? column.name
        : trx.raw('??::text AS ??', [column.name, column.name]);
  }
}

/** A row with its bytea columns' hex text ('\x…') read back as bytes. */
function withBytes(row: BackupRow, columns: string[]): Record<string, BackupValue | Buffer> {
  const copy: Record<string, BackupValue | Buffer> = { ...row };
  for (const column of columns) {
    const value = row[column];
    if (typeof value === 'string' && /^\\x([0-9a-f]{2})*$/i.test(value))
      copy[column] = Buffer.from(value.slice(2), 'hex');
  }
  return copy;
}

// Well under PostgreSQL's 65,535 bind parameters per statement, whatever the table's width.
const MAX_BINDINGS_PER_INSERT = 30_000;

export function backupRepository(db: Db) {
  return {
    /** Runs work on one consistent, read-only snapshot of the whole database. */
    snapshot<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
      return db.transaction(async (trx) => {
        await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return work(trx);
      });
    },

    /** Runs work in one transaction: a restore is stored whole or not at all. */
    transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
      return db.transaction(work);
    },

    async tableNames(trx: Knex): Promise<string[]> {
      const rows: { table_name: string }[] = await trx('information_schema.tables')
        .select('table_name')
        .whereRaw('table_schema = current_schema()')
        .andWhere({ table_type: 'BASE TABLE' })
        .orderBy('table_name');
      return rows.map((row) => row.table_name);
    },

    /** The shape of each named table, read from the catalog so that new columns are never missed. */
    async describe(trx: Knex, tables: readonly string[]): Promise<Map<string, TableShape>> {
      const columns: {
        table_name: string;
        column_name: string;
        data_type: string;
        is_generated: string;
        column_default: string | null;
      }[] = await trx('information_schema.columns')
        .select('table_name', 'column_name', 'data_type', 'is_generated', 'column_default')
        .whereRaw('table_schema = current_schema()')
        .whereIn('table_name', tables)
        .orderBy(['table_name', 'ordinal_position']);
      const keys: { table_name: string; column_name: string }[] = await trx(
        'information_schema.table_constraints as tc',
      )
        .join('information_schema.key_column_usage as kcu', function () {
          this.on('kcu.constraint_name', 'tc.constraint_name')
            .andOn('kcu.table_schema', 'tc.table_schema')
            .andOn('kcu.table_name', 'tc.table_name');
        })
        .select('tc.table_name', 'kcu.column_name')
        .whereRaw('tc.table_schema = current_schema()')
        .andWhere('tc.constraint_type', 'PRIMARY KEY')
        .whereIn('tc.table_name', tables)
        .orderBy(['tc.table_name', 'kcu.ordinal_position']);

      const shapes = new Map<string, TableShape>();
      for (const name of tables) shapes.set(name, { name, columns: [], primaryKey: [], serialColumns: [] });
      for (const column of columns) {
        const shape = shapes.get(column.table_name)!;
        if (column.is_generated === 'ALWAYS') continue;
        shape.columns.push({ name: column.column_name, type: column.data_type });
        if (column.column_default?.startsWith('nextval(')) shape.serialColumns.push(column.column_name);
      }
      for (const key of keys) shapes.get(key.table_name)!.primaryKey.push(key.column_name);
      return shapes;
    },

    /** Every row of a table, ordered by its primary key, in the file's value forms. */
    async readRows(trx: Knex, shape: TableShape): Promise<BackupRow[]> {
      return trx(shape.name)
        .select(shape.columns.map((column) => selectExpression(trx, column)))
        .orderBy(shape.primaryKey);
    },

    async countRows(trx: Knex, table: string): Promise<number> {
      const row = await trx(table).count<{ count: number }[]>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },

    /** The names of the migrations the database has run, in name order. */
    async appliedMigrations(trx: Knex): Promise<string[]> {
      return trx('knex_migrations').orderBy('name').pluck('name');
    },

    /**
     * Inserts rows as they are, ids included. Values arrive as text where the file keeps text
     * (timestamps, JSON) and PostgreSQL reads them with the column's own type.
     */
    async insertRows(trx: Knex.Transaction, shape: TableShape, rows: BackupRow[]): Promise<void> {
      const perInsert = Math.max(1, Math.floor(MAX_BINDINGS_PER_INSERT / Math.max(1, shape.columns.length)));
      // Bytes (bytea, e.g. photos) travel as PostgreSQL's hex text ('\x…') and go back as bytes: the
      // embedded engine takes a bytea parameter only as bytes.
      const binary = shape.columns.filter((column) => column.type === 'bytea').map((column) => column.name);
      const values = binary.length === 0 ? rows : rows.map((row) => withBytes(row, binary));
      for (let start = 0; start < values.length; start += perInsert) {
        await trx(shape.name).insert(values.slice(start, start + perInsert));
      }
    },

    /** Moves each serial id's sequence past the largest id stored, so that new rows never collide. */
    async resetSequences(trx: Knex.Transaction, shape: TableShape): Promise<void> {
      for (const column of shape.serialColumns) {
        await trx.raw(
          'SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(??), 0) + 1, false) FROM ??',
          [shape.name, column, column, shape.name],
        );
      }
    },
  };
}

export type BackupRepository = ReturnType<typeof backupRepository>;
