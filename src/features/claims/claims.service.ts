import { NotFoundError } from '../../lib/errors';
import type { ClaimsRepository, PublicClaim } from './claims.repository';

export function claimsService(deps: { claims: ClaimsRepository }) {
  return {
    async verdictPage(slug: string): Promise<PublicClaim> {
      const claim = await deps.claims.findPublicBySlug(slug);
      if (!claim) throw new NotFoundError();
      return claim;
    },
  };
}

export type ClaimsService = ReturnType<typeof claimsService>;
