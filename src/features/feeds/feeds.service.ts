import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import type { ClaimsRepository } from '../claims/claims.repository';
import type { VerdictChange } from '../claims/claims.types';
import type { Candidate, ElectionsRepository, ListedElection } from '../elections/elections.repository';
import type { FreshnessRepository } from '../freshness/freshness.repository';

export const FEED_ENTRIES = 50;
/** Claims per sitemap file; the protocol allows 50,000 URLs, the rest of part 1 holds the other pages. */
export const SITEMAP_CLAIMS_PER_PART = 40_000;

export type SitemapPage =
  | { kind: 'index'; parts: number }
  | {
      kind: 'urls';
      elections: ListedElection[];
      candidates: Candidate[];
      claims: { slug: string; updated_at: Date }[];
      events: { slug: string; updated_at: Date }[];
      /** Whether the site's own pages belong in this file (the first, or the only, one). */
      withPages: boolean;
    };

export function feedsService(deps: {
  claims: ClaimsRepository;
  elections: ElectionsRepository;
  freshness: FreshnessRepository;
  /** Claims per sitemap file (smaller in tests). */
  sitemapPartSize?: number;
  /** Every event page (the first sitemap file lists them). */
  events?: () => Promise<{ slug: string; updated_at: Date }[]>;
}) {
  const partSize = deps.sitemapPartSize ?? SITEMAP_CLAIMS_PER_PART;
  return {
    async freshness(): Promise<Freshness> {
      return deps.freshness.site();
    },

    /** The latest published status changes of published claims, newest first. */
    async feedEntries(): Promise<VerdictChange[]> {
      return deps.claims.latestVerdictChanges(FEED_ENTRIES);
    },

    /**
     * The sitemap: one file while it fits, else an index of parts (`part` 1…n). Retracted claims are
     * left out: their pages stay reachable for old links, but are no longer offered to search engines.
     */
    async sitemap(part: number | undefined): Promise<SitemapPage> {
      const total = await deps.claims.countAllPublished();
      const parts = Math.max(1, Math.ceil(total / partSize));
      if (part === undefined && parts > 1) return { kind: 'index', parts };
      const index = part ?? 1;
      if (index > parts) throw new NotFoundError();
      const [elections, candidates, claims, events] = await Promise.all([
        index === 1 ? deps.elections.list() : [],
        index === 1 ? deps.elections.allCandidates() : [],
        deps.claims.publishedSlugs((index - 1) * partSize, partSize),
        index === 1 && deps.events ? deps.events() : [],
      ]);
      return { kind: 'urls', elections, candidates, claims, events, withPages: index === 1 };
    },
  };
}

export type FeedsService = ReturnType<typeof feedsService>;
