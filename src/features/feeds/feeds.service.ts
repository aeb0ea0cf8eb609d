import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import type { ClaimsRepository } from '../claims/claims.repository';
import type { VerdictChange } from '../claims/claims.types';
import type { Candidate, ElectionsRepository, ListedElection } from '../elections/elections.repository';
import type { FreshnessRepository } from '../freshness/freshness.repository';
import type { FeedResponse } from '../responses/responses.repository';
import type { ListedReport } from '../term/reports.repository';

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
      /** A term's pages: milestone reports, agency pages (src/features/term). */
      term: TermPages;
      /** Whether the site's own pages belong in this file (the first, or the only, one). */
      withPages: boolean;
    };

/** The term's pages the sitemap offers, and the reports the feed carries. */
export interface TermPages {
  reports: { candidate_slug: string; slug: string; published_at: Date }[];
  agencies: { election_slug: string; slug: string; updated_at: Date }[];
}

export function feedsService(deps: {
  term: {
    reports: () => Promise<TermPages['reports']>;
    latestReports: (limit: number) => Promise<ListedReport[]>;
    agencies: () => Promise<TermPages['agencies']>;
  };
  claims: ClaimsRepository;
  elections: ElectionsRepository;
  freshness: FreshnessRepository;
  /** Claims per sitemap file (smaller in tests). */
  sitemapPartSize?: number;
  /** Every event page (the first sitemap file lists them). */
  events?: () => Promise<{ slug: string; updated_at: Date }[]>;
  /** The latest responses to verdicts (the right of reply), newest first. */
  responses?: (limit: number) => Promise<FeedResponse[]>;
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

    /** The latest milestone reports, newest first. */
    async feedReports(): Promise<ListedReport[]> {
      return deps.term.latestReports(FEED_ENTRIES);
    },

    /** The latest responses to verdicts of published claims, newest first (none without the source). */
    async feedResponses(): Promise<FeedResponse[]> {
      return deps.responses ? deps.responses(FEED_ENTRIES) : [];
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
      const [elections, candidates, claims, events, reports, agencies] = await Promise.all([
        index === 1 ? deps.elections.list() : [],
        index === 1 ? deps.elections.allCandidates() : [],
        deps.claims.publishedSlugs((index - 1) * partSize, partSize),
        index === 1 && deps.events ? deps.events() : [],
        index === 1 ? deps.term.reports() : [],
        index === 1 ? deps.term.agencies() : [],
      ]);
      return {
        kind: 'urls',
        elections,
        candidates,
        claims,
        events,
        term: { reports, agencies },
        withPages: index === 1,
      };
    },
  };
}

export type FeedsService = ReturnType<typeof feedsService>;
