import { NotFoundError } from '../../lib/errors';
import type { Freshness } from '../../lib/freshness';
import { isSlug } from '../claims/claims.schemas';
import type { Candidate, ElectionsRepository } from '../elections/elections.repository';
import { buildScoreboard, type Scoreboard } from '../elections/scoreboard';
import type { EventClaim, EventPagesRepository, PublicEvent } from './event-pages.repository';

export interface EventPage {
  event: PublicEvent;
  claims: EventClaim[];
  scoreboard: Scoreboard;
  /** The tickets that spoke at the event, each with its scoreboard for the event. */
  tickets: { candidate: Candidate; scoreboard: Scoreboard }[];
  /** When the page was built from (its newest change). */
  lastModified: Date | null;
  /** The newest update the stream had recorded before the claims were read: where a live page resumes. */
  lastUpdateId: number;
}

/** What a YouTube address is, so that a moment can open the video at that second. */
const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'youtu.be',
  'www.youtu.be',
]);

export function momentSeconds(moment: string): number {
  const [h, m, s] = moment.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
}

/**
 * The video at a moment: YouTube opens at that second (`t`); any other host gets its plain address, the
 * time then written out beside the link (`timed` false).
 */
export function videoAt(videoUrl: string, moment: string | null): { href: string; timed: boolean } {
  if (!moment) return { href: videoUrl, timed: false };
  let url: URL;
  try {
    url = new URL(videoUrl);
  } catch {
    return { href: videoUrl, timed: false };
  }
  if (!YOUTUBE_HOSTS.has(url.hostname.toLowerCase())) return { href: videoUrl, timed: false };
  url.searchParams.set('t', `${momentSeconds(moment)}s`);
  return { href: url.toString(), timed: true };
}

export function eventPagesService(deps: { pages: EventPagesRepository; elections: ElectionsRepository }) {
  const { pages, elections } = deps;

  async function findOrThrow(slug: string): Promise<PublicEvent> {
    const event = isSlug(slug) ? await pages.findBySlug(slug) : undefined;
    if (!event) throw new NotFoundError();
    return event;
  }

  return {
    findOrThrow,

    async freshness(slug: string): Promise<Freshness> {
      const freshness = isSlug(slug) ? await pages.freshness(slug) : undefined;
      if (!freshness) throw new NotFoundError();
      return freshness;
    },

    /** The event, its published claims in the order said, and scoreboards for it and per ticket. */
    async eventPage(slug: string): Promise<EventPage> {
      const event = await findOrThrow(slug);
      // Read before the claims, so that a change committed in between is replayed, never missed.
      const lastUpdateId = await pages.lastUpdateId(event.id);
      const [claims, candidates, freshness] = await Promise.all([
        pages.claims(event.id),
        elections.candidatesOf([event.election_id]),
        pages.freshness(slug),
      ]);
      const counts = claims.map((c) => ({
        kind: c.kind,
        status: c.status,
        count: 1,
        candidate_id: c.candidate_id,
      }));
      return {
        event,
        claims,
        scoreboard: buildScoreboard(counts),
        tickets: candidates
          .filter((candidate) => claims.some((c) => c.candidate_id === candidate.id))
          .map((candidate) => ({
            candidate,
            scoreboard: buildScoreboard(counts.filter((c) => c.candidate_id === candidate.id)),
          })),
        lastModified: freshness?.lastModified ?? null,
        lastUpdateId,
      };
    },

    list: (filter?: { electionIds?: number[] }) => pages.list(filter),
    forCandidate: (candidateId: number) => pages.forCandidate(candidateId),
    claims: (eventId: number) => pages.claims(eventId),
  };
}

export type EventPagesService = ReturnType<typeof eventPagesService>;
