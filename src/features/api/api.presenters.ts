import type { Translate } from '../../lib/i18n';
import type { VerdictPage } from '../claims/claims.service';
import type { PublicClaim, RepeatRef } from '../claims/claims.types';
import type { ElectionSummary } from '../elections/elections.service';
import type { Scoreboard } from '../elections/scoreboard';
import { responsesJson } from '../responses/responses.presenters';
import { agencyJson, reasonJson } from '../term/term.presenters';

// The JSON the API answers: field names are a contract (PRODUCT.md), so they are spelled out here.

export function claimJson(claim: PublicClaim, baseUrl: string, t: Translate) {
  return {
    slug: claim.slug,
    url: `${baseUrl}/claims/${claim.slug}`,
    kind: claim.kind,
    status: claim.status,
    status_label: t(`status.${claim.status}`),
    title: claim.title,
    quote: claim.quote,
    quote_is_paraphrase: claim.quote_is_paraphrase,
    said_on: claim.said_on,
    event: claim.event_slug
      ? {
          slug: claim.event_slug,
          name: claim.event_name,
          kind: claim.event_kind,
          date: claim.event_held_on,
          url: `${baseUrl}/events/${claim.event_slug}`,
        }
      : null,
    moment: claim.moment,
    source: {
      publisher: claim.source_publisher,
      title: claim.source_title,
      url: claim.source_url,
    },
    summary: claim.summary,
    deadline: claim.deadline,
    topics: claim.topics,
    agency: agencyJson(claim, baseUrl),
    candidate: {
      slug: claim.candidate_slug,
      name: claim.candidate_name,
      running_mate: claim.candidate_running_mate,
      url: `${baseUrl}/candidates/${claim.candidate_slug}`,
    },
    election: {
      slug: claim.election_slug,
      name: claim.election_name,
      url: `${baseUrl}/elections/${claim.election_slug}`,
    },
    badge_url: `${baseUrl}/claims/${claim.slug}/badge.svg`,
    published_at: claim.published_at,
    updated_at: claim.updated_at,
  };
}

export function claimDetailJson(page: VerdictPage, baseUrl: string, t: Translate) {
  const { claim } = page;
  return {
    ...claimJson(claim, baseUrl, t),
    explanation: claim.explanation,
    retracted: claim.workflow_state === 'retracted',
    retracted_at: claim.retracted_at,
    retraction_reason: claim.workflow_state === 'retracted' ? claim.retraction_reason : null,
    timeline: page.timeline.map((entry) => ({
      from_status: entry.from_status,
      from_label: t(`status.${entry.from_status}`),
      to_status: entry.to_status,
      to_label: t(`status.${entry.to_status}`),
      note: entry.note,
      ...reasonJson(entry, t),
      approved_at: entry.approved_at,
      evidence_ids: entry.evidence.map((e) => e.id),
    })),
    evidence: page.evidence.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      publisher: e.publisher,
      published_on: e.published_on,
      archive_url: e.archive_url,
      excerpt: e.excerpt,
      stance: e.stance,
      stance_label: t(`stance.${e.stance}`),
    })),
    corrections: page.corrections.map((c) => ({ kind: c.kind, note: c.note, created_at: c.created_at })),
    repeat_of: page.repeatOf ? repeatJson(page.repeatOf, baseUrl, t) : null,
    repeats: (page.repeats ?? []).map((r) => repeatJson(r, baseUrl, t)),
    responses: responsesJson(page.responses ?? []),
  };
}

/** A repeat or the original it repeats: where and when it was said, and its own status. */
function repeatJson(r: RepeatRef, baseUrl: string, t: Translate) {
  return {
    slug: r.slug,
    url: `${baseUrl}/claims/${r.slug}`,
    title: r.title,
    status: r.status,
    status_label: t(`status.${r.status}`),
    said_on: r.said_on,
    moment: r.moment,
    event: r.event_slug ? { slug: r.event_slug, name: r.event_name } : null,
  };
}

function scoreboardJson(scoreboard: Scoreboard, t: Translate) {
  return {
    total: scoreboard.total,
    scales: scoreboard.scales.map((scale) => ({
      kind: scale.kind,
      total: scale.total,
      statuses: scale.rows.map((row) => ({
        status: row.status,
        status_label: t(`status.${row.status}`),
        count: row.count,
        percent: row.percent,
      })),
    })),
  };
}

export function electionJson(summary: ElectionSummary, baseUrl: string, t: Translate) {
  const { election } = summary;
  return {
    slug: election.slug,
    url: `${baseUrl}/elections/${election.slug}`,
    name: election.name,
    office: election.office,
    region: election.region,
    voting_day: election.voting_day,
    term_start: election.term_start,
    term_end: election.term_end,
    ongoing: election.ongoing,
    candidates: summary.candidates.map((c) => ({
      slug: c.slug,
      url: `${baseUrl}/candidates/${c.slug}`,
      name: c.name,
      running_mate: c.running_mate,
      party: c.party,
      is_incumbent: c.is_incumbent,
      ballot_number: c.ballot_number,
    })),
    scoreboard: scoreboardJson(summary.scoreboard, t),
    updated_at: election.updated_at,
  };
}
