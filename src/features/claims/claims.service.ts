import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import type { Remembering } from '../../lib/remembering';
import type { Candidate, ElectionsRepository, ListedElection } from '../elections/elections.repository';
import { type FreshnessRepository, toFreshness } from '../freshness/freshness.repository';
import { type PublicResponse, responseFromJson } from '../responses/responses.presenters';
import type { ClaimsRepository } from './claims.repository';
import { encodeCursor, isSlug, type ListRequest } from './claims.schemas';
import type {
  ClaimFilters,
  ListedClaim,
  PublicClaim,
  PublicCorrection,
  PublicEvidence,
  RepeatRef,
  TimelineEntry,
  VerdictChange,
} from './claims.types';
import type { VerdictRepository } from './verdict.repository';

/** Past this many matching claims, a list says "more than 200" rather than count them all (docs/DECISIONS.md). */
export const COUNT_CAP = 200;
/** Past this many candidates, the list's candidate filter offers those of the chosen election only. */
export const CANDIDATE_OPTIONS_LIMIT = 60;

export interface ClaimsPage {
  claims: PublicClaim[];
  /** How many match, at most COUNT_CAP; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  /** The cursor of the next page, when there is one. */
  nextCursor: string | undefined;
}

export interface FilterOptions {
  elections: ListedElection[];
  candidates: Candidate[];
  /** More candidates exist than the filter offers: choose an election first. */
  moreCandidates: boolean;
  topics: { slug: string; name: string }[];
}

export interface VerdictPage {
  claim: PublicClaim;
  timeline: TimelineEntry[];
  evidence: PublicEvidence[];
  corrections: PublicCorrection[];
  /** The explanation's HTML as stored when it was saved, when it was. */
  explanationHtml?: string | null;
  /** The claim first logged that this one repeats (public ones only). */
  repeatOf?: RepeatRef | null;
  /** The claims that repeat this one, in the order said (public ones only). */
  repeats?: RepeatRef[];
  /** The right of reply: responses to the verdict in the order given, each with its corrections. */
  responses?: PublicResponse[];
}

export function claimsService(deps: {
  claims: ClaimsRepository;
  verdicts: VerdictRepository;
  elections: ElectionsRepository;
  freshness: FreshnessRepository;
  /**
   * Reads that every request of a list repeats and only a change alters (the site's version, how many
   * claims match, the filters' options), remembered until the next change is heard (the page cache).
   */
  remember: Remembering;
}) {
  const { remember } = deps;
  /** Election, candidate and topic slugs as ids (a query when the filters name any). */
  const resolveFilters = (filters: ClaimFilters) =>
    remember.remembered(`filters:${JSON.stringify(filters)}`, () => deps.claims.resolveFilters(filters));
  return {
    /** When any public list last changed (for ETag and Last-Modified before anything is rendered). */
    async listFreshness(): Promise<Freshness> {
      // The same version as the home and election pages', remembered once for all of them.
      return remember.version('site', () => deps.freshness.site());
    },

    /** One page of published claims and how many match in all: a constant number of queries. */
    async listPage(request: ListRequest): Promise<ClaimsPage> {
      const limit = request.perPage;
      const filters = await resolveFilters(request.filters);
      const [rows, total] = await Promise.all([
        deps.claims.listPublished(filters, {
          sort: request.sort,
          limit: limit + 1,
          after: request.after,
          offset: (request.page - 1) * limit,
        }),
        // Paging through a list, or a search many readers make, counts once until the next change.
        remember.remembered(`count:${JSON.stringify(filters)}`, () =>
          deps.claims.countPublished(filters, COUNT_CAP),
        ),
      ]);
      const claims = rows.slice(0, limit);
      const last: ListedClaim | undefined = claims.at(-1);
      const nextCursor =
        rows.length > limit && last
          ? encodeCursor({ sort: request.sort, key: last.cursor_key, id: last.id })
          : undefined;
      return { claims, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP, nextCursor };
    },

    /** Published claims in batches, following the cursor, for exports that must not hold every row at once. */
    async *eachPublished(given: ClaimFilters, batchSize = 1000): AsyncGenerator<PublicClaim[]> {
      const filters = await resolveFilters(given);
      let after: ListRequest['after'];
      for (;;) {
        const rows = await deps.claims.listPublished(filters, { sort: 'updated', limit: batchSize, after });
        if (rows.length > 0) yield rows;
        const last = rows.at(-1);
        if (rows.length < batchSize || !last) return;
        after = { sort: 'updated', key: last.cursor_key, id: last.id };
      }
    },

    async filterOptions(
      chosen: { elections: string[]; candidates: string[] } = { elections: [], candidates: [] },
    ): Promise<FilterOptions> {
      const [elections, { candidates, more }, topics] = await Promise.all([
        remember.remembered('elections', () => deps.elections.list()),
        remember.remembered(`candidates:${JSON.stringify(chosen)}`, () =>
          deps.elections.candidatesForFilter(chosen, CANDIDATE_OPTIONS_LIMIT),
        ),
        remember.remembered('topics', () => deps.claims.topics()),
      ]);
      return { elections, candidates, moreCandidates: more, topics };
    },

    /** The freshness of a verdict page; not found unless the public may see the claim. */
    async verdictFreshness(slug: string): Promise<Freshness> {
      const freshness = isSlug(slug) ? await deps.verdicts.publicFreshness(slug) : undefined;
      if (!freshness) throw new NotFoundError();
      return freshness;
    },

    /**
     * A claim the public may see, with its published timeline, visible evidence and corrections, and the
     * page's version, in one query: for the verdict page and the API's claim.
     */
    async verdictPageAndFreshness(slug: string): Promise<{ page: VerdictPage; freshness: Freshness }> {
      const row = isSlug(slug) ? await deps.verdicts.verdictBySlug(slug) : undefined;
      if (!row) throw new NotFoundError();
      const { claim: json, page_timeline, page_evidence, page_corrections, explanation_html } = row;
      const { page_repeat_of, page_repeats, page_responses } = row;
      // The claim came as JSON: its timestamps are text (ISO 8601 with the offset) until read here.
      const claim: PublicClaim = {
        ...json,
        published_at: dateOrNull(json.published_at),
        retracted_at: dateOrNull(json.retracted_at),
        created_at: new Date(json.created_at),
        updated_at: new Date(json.updated_at),
      };
      return {
        page: {
          claim,
          explanationHtml: explanation_html,
          timeline: page_timeline.map((entry) => ({ ...entry, approved_at: new Date(entry.approved_at) })),
          evidence: page_evidence.map((item) => ({ ...item, created_at: new Date(item.created_at) })),
          corrections: page_corrections.map((item) => ({ ...item, created_at: new Date(item.created_at) })),
          repeatOf: page_repeat_of ?? null,
          repeats: page_repeats ?? [],
          responses: (page_responses ?? []).map(responseFromJson),
        },
        freshness: toFreshness(row, `${claim.id}:${claim.version}`),
      };
    },

    /** Just the claim (for its badge). */
    async publicClaim(slug: string): Promise<PublicClaim> {
      const claim = isSlug(slug) ? await deps.claims.findPublicBySlug(slug) : undefined;
      if (!claim) throw new NotFoundError();
      return claim;
    },

    async latestVerdictChanges(limit: number): Promise<VerdictChange[]> {
      return deps.claims.latestVerdictChanges(limit);
    },
  };
}

export type ClaimsService = ReturnType<typeof claimsService>;

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
