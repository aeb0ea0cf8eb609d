import type { NewsroomClaim, NewsroomClaimsRepository } from '../claim-editing/newsroom-claims.repository';
import type { StatusUpdateView } from '../status-updates/status-updates.repository';
import type { StatusUpdatesService } from '../status-updates/status-updates.service';
import type { Actor } from '../users/accounts';

export function reviewService(deps: {
  claims: NewsroomClaimsRepository;
  statusUpdates: StatusUpdatesService;
}) {
  return {
    async queue(actor: Actor): Promise<{ inReview: NewsroomClaim[]; proposals: StatusUpdateView[] }> {
      const [inReview, proposals] = await Promise.all([
        deps.claims.inReview(200),
        deps.statusUpdates.pending(actor, 200),
      ]);
      return { inReview, proposals };
    },
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
