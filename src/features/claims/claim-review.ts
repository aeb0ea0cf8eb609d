import { isoDay } from '../../lib/dates';
import type { Translate } from '../../lib/i18n';
import type { PublicClaim, TimelineEntry } from './claims.types';
import { isRated, ratingValue } from './scales';

/** Google asks for a claimReviewed "less than 75 characters". */
export const CLAIM_REVIEWED_MAX = 74;

/**
 * schema.org ClaimReview for a verdict page (Google's required and recommended properties), or undefined
 * when there is no verdict to describe: an unrated claim, or a retracted one.
 */
export function claimReview(input: {
  claim: PublicClaim;
  timeline: readonly TimelineEntry[];
  url: string;
  newsroomName: string;
  baseUrl: string;
  t: Translate;
  lang: string;
}): Record<string, unknown> | undefined {
  const { claim, timeline, t } = input;
  if (claim.workflow_state !== 'published' || !isRated(claim.status) || !claim.title) return undefined;
  const value = ratingValue(claim.status);
  // The fact check was published when its first status change was approved (the timeline is newest first).
  const firstRating = timeline.at(-1)?.approved_at ?? claim.published_at;
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: input.url,
    inLanguage: input.lang,
    claimReviewed: shorten(claim.title, CLAIM_REVIEWED_MAX),
    ...(firstRating ? { datePublished: isoDay(new Date(firstRating)) } : {}),
    author: { '@type': 'Organization', name: input.newsroomName, url: `${input.baseUrl}/` },
    reviewRating: {
      '@type': 'Rating',
      alternateName: t(`status.${claim.status}`),
      ...(value === undefined ? {} : { ratingValue: value, bestRating: 5, worstRating: 1 }),
    },
    itemReviewed: {
      '@type': 'Claim',
      author: { '@type': 'Person', name: claim.candidate_name },
      ...(claim.said_on ? { datePublished: claim.said_on } : {}),
      ...(claim.source_url
        ? {
            appearance: {
              '@type': 'CreativeWork',
              url: claim.source_url,
              ...(claim.source_title ? { headline: claim.source_title } : {}),
              ...(claim.source_publisher
                ? { publisher: { '@type': 'Organization', name: claim.source_publisher } }
                : {}),
            },
          }
        : {}),
    },
  };
}

/** At most `max` characters, cut at a word boundary with an ellipsis when it has to be cut. */
export function shorten(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/u, '')}…`;
}

/**
 * JSON that is safe inside a <script type="application/ld+json"> element: `<`, `>` and `&` (so neither
 * `</script>` nor `<!--` can appear) and the JavaScript line separators are written as \u escapes,
 * which every JSON parser reads back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
