import type { Translate } from '../../lib/i18n';
import { renderMarkdown } from '../../lib/markdown';
import { safeHref } from '../../lib/urls';
import { responsesView } from '../responses/responses.presenters';
import { meterView } from '../sharing/meter';
import { claimReview, jsonForScript } from './claim-review';
import { emptyFilters, hasFilters, type ListRequest, listParams, withQuery } from './claims.schemas';
import type { ClaimsPage, FilterOptions, VerdictPage } from './claims.service';
import type { ClaimFilters, ClaimSort } from './claims.types';
import { statusesFor } from './scales';

// View models: what a template needs and nothing else, built from what the service returned.

/** What each query parameter is called on the page, to say which one made no sense. */
const PARAM_LABELS: Record<string, string> = {
  q: 'claims.search',
  election: 'claims.filter.election',
  candidate: 'claims.filter.candidate',
  kind: 'claims.filter.kind',
  status: 'claims.filter.status',
  topic: 'claims.filter.topic',
  sort: 'claims.sort',
  page: 'pagination.label',
  cursor: 'pagination.label',
  per_page: 'pagination.label',
};

export interface ActiveFilter {
  label: string;
  removeUrl: string;
}

/** The /claims page, for a valid request or (with `invalid`) for one whose parameters made no sense. */
export function claimsListView(input: {
  request?: ListRequest | undefined;
  page?: ClaimsPage | undefined;
  options: FilterOptions;
  invalid?: string[];
  t: Translate;
  baseUrl: string;
}) {
  const { request, page, options, t } = input;
  const filters: ClaimFilters = request?.filters ?? emptyFilters();
  const sort: ClaimSort = request?.sort ?? 'updated';
  const keptSort = request?.sortGiven ? sort : undefined;
  const url = (f: ClaimFilters, cursor?: string) =>
    withQuery('/claims', listParams(f, { sort: keptSort, cursor }));
  return {
    title: t('claims.title'),
    canonical: `${input.baseUrl}/claims`,
    invalid: (input.invalid ?? []).map((name) => `${t(PARAM_LABELS[name] ?? 'claims.search')} (${name})`),
    form: {
      q: filters.q ?? '',
      election: filters.elections,
      candidate: filters.candidates,
      kind: filters.kinds,
      status: filters.statuses,
      topic: filters.topics,
      sort,
    },
    options: {
      elections: options.elections,
      candidateGroups: options.elections.map((election) => ({
        election,
        candidates: options.candidates.filter((c) => c.election_id === election.id),
      })),
      moreCandidates: options.moreCandidates,
      topics: options.topics,
      statusGroups: (['promise', 'statement'] as const).map((kind) => ({
        kind,
        statuses: statusesFor(kind),
      })),
    },
    active: activeFilters(filters, options, t, url),
    filtered: hasFilters(filters),
    claims: page?.claims ?? [],
    total: page?.total ?? 0,
    totalCapped: page?.totalCapped ?? false,
    nextUrl: page?.nextCursor ? url(filters, page.nextCursor) : undefined,
    firstUrl: request && (request.after || request.page > 1) ? url(filters) : undefined,
  };
}

function activeFilters(
  filters: ClaimFilters,
  options: FilterOptions,
  t: Translate,
  url: (f: ClaimFilters) => string,
): ActiveFilter[] {
  const nameOf = (list: { slug: string; name: string }[], slug: string) =>
    list.find((item) => item.slug === slug)?.name ?? slug;
  const without = <K extends keyof ClaimFilters>(key: K, value: string): ClaimFilters => {
    const current = filters[key];
    return {
      ...filters,
      [key]: Array.isArray(current) ? current.filter((v) => v !== value) : undefined,
    };
  };
  const chips: ActiveFilter[] = [];
  if (filters.q)
    chips.push({ label: t('claims.filter.q', { value: filters.q }), removeUrl: url(without('q', '')) });
  for (const slug of filters.elections) {
    chips.push({
      label: `${t('claims.filter.election')}: ${nameOf(options.elections, slug)}`,
      removeUrl: url(without('elections', slug)),
    });
  }
  for (const slug of filters.candidates) {
    chips.push({
      label: `${t('claims.filter.candidate')}: ${nameOf(options.candidates, slug)}`,
      removeUrl: url(without('candidates', slug)),
    });
  }
  for (const kind of filters.kinds) {
    chips.push({
      label: `${t('claims.filter.kind')}: ${t(`kind.${kind}`)}`,
      removeUrl: url(without('kinds', kind)),
    });
  }
  for (const status of filters.statuses) {
    chips.push({
      label: `${t('claims.filter.status')}: ${t(`status.${status}`)}`,
      removeUrl: url(without('statuses', status)),
    });
  }
  for (const slug of filters.topics) {
    chips.push({
      label: `${t('claims.filter.topic')}: ${nameOf(options.topics, slug)}`,
      removeUrl: url(without('topics', slug)),
    });
  }
  return chips;
}

/** The verdict page: the claim, its timeline, evidence, corrections, ClaimReview, share and embed. */
export function verdictView(input: {
  page: VerdictPage;
  t: Translate;
  lang: string;
  baseUrl: string;
  newsroomName: string;
}) {
  const { page, t, baseUrl } = input;
  const { claim } = page;
  const canonical = `${baseUrl}/claims/${claim.slug}`;
  const title = claim.title ?? '';
  const statusLabel = t(`status.${claim.status}`);
  const review = claimReview({
    claim,
    timeline: page.timeline,
    url: canonical,
    newsroomName: input.newsroomName,
    baseUrl,
    t,
    lang: input.lang,
  });
  const description = claim.summary?.trim() || claim.quote;
  const badgeUrl = `${canonical}/badge.svg`;
  const badgeAlt = `${t('site.name')}: ${statusLabel} — ${title}`;
  const lastUpdated = [
    claim.updated_at,
    page.timeline[0]?.approved_at,
    page.corrections[0]?.created_at,
    claim.retracted_at,
    ...(page.responses ?? []).flatMap((r) => [r.created_at, ...r.corrections.map((c) => c.created_at)]),
  ]
    .filter((d): d is Date => d instanceof Date)
    .reduce((a, b) => (b.getTime() > a.getTime() ? b : a), claim.updated_at);
  const retracted = claim.workflow_state === 'retracted';
  const meter = meterView({ kind: claim.kind, status: claim.status, retracted }, t);
  const responses = responsesView(page.responses ?? []);
  const timeline = page.timeline.map((entry) => ({
    ...entry,
    evidence: entry.evidence.map((e) => ({ ...e, href: safeHref(e.url) })),
  }));
  return {
    title,
    description,
    canonical,
    claim,
    retracted,
    statusLabel,
    meter,
    scale: statusesFor(claim.kind),
    sourceHref: safeHref(claim.source_url),
    // Rendered when saved (stored beside the explanation), else now.
    explanationHtml: page.explanationHtml ?? renderMarkdown(claim.explanation),
    timeline,
    responses,
    // Status changes and responses, newest first: a response by when it was given.
    timelineItems: [
      ...timeline.map((entry) => ({ at: entry.approved_at, entry, response: undefined })),
      ...responses.map((response) => ({ at: response.respondedAt, entry: undefined, response })),
    ].sort((a, b) => b.at.getTime() - a.at.getTime()),
    evidence: page.evidence.map((e) => ({
      ...e,
      href: safeHref(e.url),
      archiveHref: safeHref(e.archive_url),
    })),
    corrections: page.corrections,
    repeatOf: page.repeatOf ?? null,
    repeats: page.repeats ?? [],
    lastUpdated,
    jsonLd: review ? jsonForScript(review) : undefined,
    social: {
      type: 'article',
      title,
      description,
      url: canonical,
      locale: input.lang === 'en' ? 'en_GB' : 'id_ID',
      // The share image in the page's language: the link a preview shows is the one it was shared as.
      image: {
        url: `${canonical}/share.png${input.lang === 'en' ? '?lang=en' : ''}`,
        alt: t('share.image_alt', { status: meter.status, title }),
      },
    },
    badgeUrl,
    embedSnippet: `<a href="${attr(canonical)}"><img src="${attr(badgeUrl)}" alt="${attr(badgeAlt)}" height="20"></a>`,
    share: shareLinks(canonical, title, t, meter.status),
  };
}

function shareLinks(url: string, title: string, t: Translate, status: string) {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(title);
  // WhatsApp first, where readers meet fact-checks: the message carries the verdict in words.
  const message = t('share.whatsapp_message', { status, title, url });
  return [
    { name: 'WhatsApp', href: `https://wa.me/?text=${encodeURIComponent(message)}` },
    { name: 'X', href: `https://twitter.com/intent/tweet?url=${u}&text=${text}` },
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${text}` },
    { name: t('share.email'), href: `mailto:?subject=${text}&body=${u}` },
  ];
}

/** For the embed snippet, which readers copy as HTML (the view escapes it once more for display). */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
