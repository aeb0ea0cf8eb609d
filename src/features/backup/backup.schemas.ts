import { z } from 'zod';

export const BACKUP_FORMAT = 'kawal-janji-backup';
export const BACKUP_FORMAT_VERSION = 1;

/**
 * What a backup holds, parents before children, so that a restore inserts them in this order and every
 * foreign key finds its row.
 */
export const BACKED_UP_TABLES = [
  'elections',
  'users',
  'candidates',
  'candidate_photos',
  'candidate_photo_files',
  'agencies',
  'topics',
  'events',
  'claims',
  'claim_checks',
  'claim_topics',
  'evidence',
  'status_updates',
  'status_update_evidence',
  'status_reviews',
  'corrections',
  'claim_responses',
  'claim_response_corrections',
  'milestone_reports',
  'milestone_report_corrections',
  'audit_log',
] as const;

/**
 * Left out on purpose: open sessions (after a restore everyone signs in again) and sign-in attempts
 * (short-lived throttling records); event updates (what live streams have sent: the trigger that writes
 * them writes them again as the claims are restored, and a stream told an id it does not know starts
 * from the newest); the claims' phrases (derived from their wording by a trigger, which writes them again
 * as the claims are restored); and everything about readers (subscribers and their follows, the
 * email outbox and digest items, tips, reader request counters): personal data under a retention
 * period and deletion on request, which a JSON file copied around would outlive (docs/READERS.md).
 */
export const LEFT_OUT_TABLES = [
  'sessions',
  'sign_in_attempts',
  'subscribers',
  'follows',
  'outbox',
  'digest_items',
  'tips',
  'reader_requests',
  'event_updates',
  'claim_phrases',
];

/** knex's own bookkeeping: the target database has its own, made by its migrations. */
export const MIGRATION_TABLES = ['knex_migrations', 'knex_migrations_lock'];

export type BackedUpTable = (typeof BACKED_UP_TABLES)[number];

/**
 * A value as the file stores it: numbers, booleans and text as themselves; timestamps as ISO 8601 UTC
 * text at full (microsecond) precision; calendar dates as 'YYYY-MM-DD'; JSON columns as their text, so
 * that what PostgreSQL stored comes back byte for byte (a JSON null stays distinct from SQL NULL).
 */
export type BackupValue = string | number | boolean | null;
export type BackupRow = Record<string, BackupValue>;

export interface BackupDocument {
  format: typeof BACKUP_FORMAT;
  format_version: typeof BACKUP_FORMAT_VERSION;
  /**
   * Every migration the source database had run, by name: a backup restores into a database that has run
   * exactly these (the set, not only the last one, since migrations from parallel work can land out of order).
   */
  schema_migrations: string[];
  left_out: string[];
  tables: Record<BackedUpTable, BackupRow[]>;
}

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const backupDocumentSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  format_version: z.literal(BACKUP_FORMAT_VERSION),
  schema_migrations: z.array(z.string()),
  left_out: z.array(z.string()),
  tables: z.strictObject(
    Object.fromEntries(BACKED_UP_TABLES.map((table) => [table, z.array(z.record(z.string(), value))])) as {
      [T in BackedUpTable]: z.ZodArray<z.ZodRecord<z.ZodString, typeof value>>;
    },
  ),
});
