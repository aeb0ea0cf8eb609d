import type { Knex } from 'knex';
import type { AuditRepository } from '../audit/audit.repository';
import { asFormText, StaleVersionError } from './forms';

/**
 * The error for a save against an old version: which changes happened since (from the audit log) and
 * the values now stored for the form's fields, so the form can show them next to what was typed.
 */
export async function staleVersionError<T extends { id: number; version: number }>(
  trx: Knex,
  audit: AuditRepository,
  entity: string,
  current: T,
  submittedVersion: number,
  fields: readonly string[],
): Promise<StaleVersionError> {
  const changes = await audit.changesSince(trx, entity, current.id, submittedVersion);
  const values: Record<string, string> = {};
  for (const field of fields)
    values[field] = asFormText((current as unknown as Record<string, unknown>)[field]);
  return new StaleVersionError(current.version, changes, values);
}
