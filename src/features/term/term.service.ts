import { NotFoundError } from '../../lib/errors';
import { renderMarkdown } from '../../lib/markdown';
import type { CandidatesRepository, PublicCandidate } from '../candidates/candidates.repository';
import { isSlug } from '../claims/claims.schemas';
import { PROMISE_STATUSES, type PromiseStatus } from '../claims/scales';
import type { Candidate, ElectionsRepository, ListedElection } from '../elections/elections.repository';
import { buildScoreboard, type Scoreboard } from '../elections/scoreboard';
import type { AgenciesRepository, Agency } from './agencies.repository';
import {
  BAR_WIDTH,
  CHART_HEIGHT,
  type HistoryBar,
  type HistoryMonth,
  historyBars,
  monthlySeries,
} from './history';
import { overdueCount, type TermProgress, termProgress } from './progress';
import { changesSince, type ReportChanges } from './reports';
import type {
  ListedReport,
  MilestoneReport,
  ReportCorrection,
  ReportsRepository,
} from './reports.repository';
import type { ReasonCount, TermPromise, TermRepository } from './term.repository';

/** The history chart of a set of promises: the monthly series and its bars. */
export interface HistoryChart {
  series: HistoryMonth[];
  bars: HistoryBar[];
  width: number;
  height: number;
  barWidth: number;
}

/** What a candidate page adds about the term: why promises were not kept, how the record moved, reports. */
export interface CandidateTerm {
  reasons: ReasonCount[];
  history: HistoryChart;
  /** Only for the ticket that won, in an election with its term's dates. */
  progress: TermProgress | undefined;
  reports: ListedReport[];
}

/** One agency's row of the election page's breakdown: its published promises by status. */
export interface AgencyRow {
  agency: Agency | undefined;
  counts: Record<PromiseStatus, number>;
  total: number;
}

export interface ElectionTerm {
  history: HistoryChart;
  /** Agencies with at least one promise first, by count; then "no agency named", when any. */
  agencies: AgencyRow[];
}

export interface AgencyPage {
  election: ListedElection;
  agency: Agency;
  scoreboard: Scoreboard;
  promises: TermPromise[];
}

export interface ReportPage {
  candidate: PublicCandidate;
  report: MilestoneReport;
  /** The introduction as last corrected, as sanitised HTML. */
  introHtml: string;
  corrections: ReportCorrection[];
  scoreboard: Scoreboard;
  previous: MilestoneReport | undefined;
  changes: ReportChanges | undefined;
  /** The other reports of the ticket, newest first. */
  others: ListedReport[];
}

export interface ComparedTicket {
  candidate: Candidate;
  scoreboard: Scoreboard;
  overdue: number;
  promises: number;
  /** Promises by topic (name null: none given). */
  topics: Map<string, number>;
}

export interface ComparePage {
  election: ListedElection;
  /** Every ticket of the election (the choice), and those compared. */
  candidates: Candidate[];
  tickets: ComparedTicket[];
  /** Every topic any compared ticket has a promise on, by name; '' for promises with no topic. */
  topics: { key: string; name: string | null }[];
  chosen: string[];
}

/** At most this many tickets side by side. */
export const COMPARE_MAX = 6;

export function historyChart(series: HistoryMonth[]): HistoryChart {
  return {
    series,
    bars: historyBars(series),
    width: Math.max(1, series.length) * BAR_WIDTH,
    height: CHART_HEIGHT,
    barWidth: BAR_WIDTH,
  };
}

function emptyCounts(): Record<PromiseStatus, number> {
  return Object.fromEntries(PROMISE_STATUSES.map((s) => [s, 0])) as Record<PromiseStatus, number>;
}

export function termService(deps: {
  term: TermRepository;
  agencies: AgenciesRepository;
  reports: ReportsRepository;
  elections: ElectionsRepository;
  candidates: CandidatesRepository;
  now?: () => Date;
}) {
  const { term } = deps;
  const now = deps.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);

  async function electionOrThrow(slug: string): Promise<ListedElection> {
    const election = isSlug(slug) ? await deps.elections.findBySlug(slug) : undefined;
    if (!election) throw new NotFoundError();
    return election;
  }

  async function candidateOrThrow(slug: string): Promise<PublicCandidate> {
    const candidate = isSlug(slug) ? await deps.candidates.findBySlug(slug) : undefined;
    if (!candidate) throw new NotFoundError();
    return candidate;
  }

  return {
    async candidateTerm(candidate: PublicCandidate): Promise<CandidateTerm> {
      const { reasons, histories, reports, term: dates, promises } = await term.candidateTerm(candidate.id);
      const progress = dates ? termProgress(dates, promises, today()) : undefined;
      return { reasons, history: historyChart(monthlySeries(histories, now())), progress, reports };
    },

    /** Month by month, a candidate's or an election's promises at each status. */
    async history(scope: { candidateId: number } | { electionId: number }): Promise<HistoryMonth[]> {
      return monthlySeries(await term.promiseHistories(scope), now());
    },

    /** What the election page adds: the chart of its promises, and their status by agency. */
    async electionTerm(electionId: number): Promise<ElectionTerm> {
      const { histories, agencies, counts } = await term.electionTerm(electionId);
      const rows = new Map<number | null, AgencyRow>();
      for (const count of counts) {
        const row = rows.get(count.agency_id) ?? {
          agency: agencies.find((a) => a.id === count.agency_id),
          counts: emptyCounts(),
          total: 0,
        };
        row.counts[count.status as PromiseStatus] += Number(count.count);
        row.total += Number(count.count);
        rows.set(count.agency_id, row);
      }
      // Agencies with no promise yet are listed too (with zeros), so every agency's page is a link away.
      for (const agency of agencies) {
        if (!rows.has(agency.id)) rows.set(agency.id, { agency, counts: emptyCounts(), total: 0 });
      }
      const named = [...rows.entries()]
        .filter(([id]) => id !== null)
        .map(([, row]) => row)
        .sort((a, b) => b.total - a.total || (a.agency?.name ?? '').localeCompare(b.agency?.name ?? ''));
      const none = rows.get(null);
      return {
        history: historyChart(monthlySeries(histories, now())),
        agencies: agencies.length > 0 && none ? [...named, none] : named,
      };
    },

    async agencyPage(electionSlug: string, agencySlug: string): Promise<AgencyPage> {
      const election = await electionOrThrow(electionSlug);
      const agency = isSlug(agencySlug) ? await deps.agencies.findBySlug(election.id, agencySlug) : undefined;
      if (!agency) throw new NotFoundError();
      const promises = await term.promises({ agencyId: agency.id });
      const counts = new Map<string, number>();
      for (const p of promises) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
      return {
        election,
        agency,
        scoreboard: buildScoreboard(
          [...counts.entries()].map(([status, count]) => ({
            kind: 'promise' as const,
            status: status as PromiseStatus,
            count,
          })),
        ),
        promises,
      };
    },

    async reportPage(candidateSlug: string, reportSlug: string): Promise<ReportPage> {
      const candidate = await candidateOrThrow(candidateSlug);
      const report = isSlug(reportSlug) ? await deps.reports.findBySlug(candidate.id, reportSlug) : undefined;
      if (!report) throw new NotFoundError();
      const [corrections, previous, all] = await Promise.all([
        deps.reports.corrections(report.id),
        report.previous_id ? deps.reports.find(report.previous_id) : undefined,
        deps.reports.ofCandidate(candidate.id),
      ]);
      const corrected = [...corrections].reverse().find((c) => c.intro !== null);
      return {
        candidate,
        report,
        introHtml: renderMarkdown(corrected?.intro ?? report.intro),
        corrections,
        scoreboard: buildScoreboard(report.snapshot.counts),
        previous,
        changes: previous ? changesSince(previous.snapshot, report.snapshot) : undefined,
        others: all.filter((r) => r.id !== report.id),
      };
    },

    /** The election's tickets side by side: all of them, or those chosen (by slug, in ballot order). */
    async comparePage(electionSlug: string, chosen: string[]): Promise<ComparePage> {
      const election = await electionOrThrow(electionSlug);
      const candidates = await deps.elections.candidatesOf([election.id]);
      const picked = chosen.length ? candidates.filter((c) => chosen.includes(c.slug)) : candidates;
      const compared = picked.slice(0, COMPARE_MAX);
      const ids = compared.map((c) => c.id);
      const [counts, promises, topicCounts] = await Promise.all([
        deps.elections.statusCounts([election.id]),
        term.promises({ candidateIds: ids }),
        term.topicCounts(ids),
      ]);
      const topicNames = new Map<string, string | null>();
      for (const row of topicCounts) topicNames.set(row.topic_slug ?? '', row.topic_name);
      const tickets = compared.map((candidate) => {
        const mine = promises.filter((p) => p.candidate_id === candidate.id);
        const topics = new Map<string, number>();
        for (const row of topicCounts) {
          if (row.candidate_id === candidate.id) topics.set(row.topic_slug ?? '', Number(row.count));
        }
        return {
          candidate,
          scoreboard: buildScoreboard(counts.filter((c) => c.candidate_id === candidate.id)),
          overdue: overdueCount(mine, today()),
          promises: mine.length,
          topics,
        };
      });
      const topics = [...topicNames.entries()]
        .map(([key, name]) => ({ key, name }))
        .sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name)));
      return { election, candidates, tickets, topics, chosen: compared.map((c) => c.slug) };
    },
  };
}

export type TermService = ReturnType<typeof termService>;
