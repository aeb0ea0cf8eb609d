import { ConflictError } from '../../lib/errors';
import type { ChangeSince } from '../audit/audit.repository';

// Kept apart from the form helpers so that the accounts CLI (which uses the users service) loads no more
// than it needs.

/** A save against a version that is no longer current: what changed meanwhile, and the values now. */
export class StaleVersionError extends ConflictError {
  constructor(
    readonly currentVersion: number,
    readonly changes: ChangeSince[],
    readonly current: Record<string, string>,
  ) {
    super('stale_version');
  }
}
