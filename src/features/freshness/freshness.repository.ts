import type { Db } from '../../db';
import type { Freshness } from '../../lib/freshness';

/**
 * When anything the public lists are built from last changed, read from indexes only, so that a
 * revalidation (304) costs one cheap query and no rendering. Writers bump `updated_at` on every change;
 * history tables only grow, so their newest row is their last change. Every workflow state counts, so
 * that a claim leaving the published set is noticed too.
 */
export function freshnessRepository(db: Db) {
  return {
    async site(): Promise<Freshness> {
      const row = await db
        .select({ last_modified: 's.g', stamp: db.raw('s.g::text'), reviews: 's.r', corrections: 's.x' })
        .from(
          db.raw(`(SELECT greatest(
            (SELECT max(updated_at) FROM claims WHERE workflow_state = 'published'),
            (SELECT max(updated_at) FROM claims WHERE workflow_state = 'retracted'),
            (SELECT max(updated_at) FROM claims WHERE workflow_state = 'in_review'),
            (SELECT max(updated_at) FROM claims WHERE workflow_state = 'draft'),
            (SELECT max(updated_at) FROM elections),
            (SELECT max(updated_at) FROM candidates),
            (SELECT max(updated_at) FROM topics),
            (SELECT max(updated_at) FROM events),
            (SELECT max(updated_at) FROM agencies),
            (SELECT published_at FROM milestone_reports ORDER BY id DESC LIMIT 1),
            (SELECT created_at FROM milestone_report_corrections ORDER BY id DESC LIMIT 1),
            (SELECT created_at FROM claim_responses ORDER BY id DESC LIMIT 1),
            (SELECT created_at FROM claim_response_corrections ORDER BY id DESC LIMIT 1),
            (SELECT created_at FROM status_reviews ORDER BY id DESC LIMIT 1),
            (SELECT created_at FROM corrections ORDER BY id DESC LIMIT 1)) AS g,
            (SELECT max(id) FROM status_reviews) AS r,
            (SELECT max(id) FROM corrections) AS x) AS s`),
        )
        .first<FreshnessRow & { reviews: number | null; corrections: number | null }>();
      return toFreshness(row, `${row?.reviews ?? 0}:${row?.corrections ?? 0}`);
    },
  };
}

export interface FreshnessRow {
  last_modified: Date | null;
  /** The same timestamp as text, at the database's full (microsecond) precision. */
  stamp: string | null;
}

export function toFreshness(row: FreshnessRow | undefined, extra: string): Freshness {
  return { lastModified: row?.last_modified ?? null, version: `${row?.stamp ?? ''}|${extra}` };
}

export type FreshnessRepository = ReturnType<typeof freshnessRepository>;
