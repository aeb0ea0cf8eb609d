import { subDays } from 'date-fns/subDays';
import type { NewsroomClaim, NewsroomClaimsRepository } from '../claim-editing/newsroom-claims.repository';
import { ALL_STATUSES, isFinalStatus } from '../claims/scales';
import type { StatusUpdateView } from '../status-updates/status-updates.repository';
import type { StatusUpdatesService } from '../status-updates/status-updates.service';
import { type Actor, hasRole } from '../users/accounts';

/** A claim nobody has touched for this long, still without a final rating, is stale. */
export const STALE_AFTER_DAYS = 90;
const LIST_SIZE = 20;
const NOT_FINAL = ALL_STATUSES.filter((status) => !isFinalStatus(status));

export interface Dashboard {
  drafts: NewsroomClaim[];
  reviewQueue: NewsroomClaim[] | undefined;
  proposals: StatusUpdateView[];
  recent: NewsroomClaim[];
  overdue: NewsroomClaim[];
  stale: NewsroomClaim[];
}

export function dashboardService(deps: {
  claims: NewsroomClaimsRepository;
  statusUpdates: StatusUpdatesService;
}) {
  const { claims, statusUpdates } = deps;
  return {
    async forActor(actor: Actor, now: Date = new Date()): Promise<Dashboard> {
      // Deadlines are calendar dates; "passed" is judged on the UTC day, the zone timestamps are kept in.
      const today = now.toISOString().slice(0, 10);
      const [drafts, reviewQueue, proposals, recent, overdue, stale] = await Promise.all([
        claims.draftsBy(actor.id, LIST_SIZE),
        hasRole(actor, 'editor') ? claims.inReview(LIST_SIZE) : Promise.resolve(undefined),
        statusUpdates.pending(actor, LIST_SIZE),
        claims.recentlyChanged(LIST_SIZE),
        claims.overdue(today, NOT_FINAL, LIST_SIZE),
        claims.stale(subDays(now, STALE_AFTER_DAYS), NOT_FINAL, LIST_SIZE),
      ]);
      return { drafts, reviewQueue, proposals, recent, overdue, stale };
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
