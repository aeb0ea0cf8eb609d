import type { PublicCandidate } from '../candidates/candidates.repository';
import {
  BAR_WIDTH,
  CHART_HEIGHT,
  type HistoryBar,
  type HistoryMonth,
  historyBars,
  monthlySeries,
} from './history';
import type { ReasonCount, TermRepository } from './term.repository';

/** The history chart of a set of promises: the monthly series and its bars. */
export interface HistoryChart {
  series: HistoryMonth[];
  bars: HistoryBar[];
  width: number;
  height: number;
  barWidth: number;
}

/** What a candidate page adds about the term: why promises were not kept, and how the record moved. */
export interface CandidateTerm {
  reasons: ReasonCount[];
  history: HistoryChart;
}

export function historyChart(series: HistoryMonth[]): HistoryChart {
  return {
    series,
    bars: historyBars(series),
    width: Math.max(1, series.length) * BAR_WIDTH,
    height: CHART_HEIGHT,
    barWidth: BAR_WIDTH,
  };
}

export function termService(deps: { term: TermRepository; now?: () => Date }) {
  const { term } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async candidateTerm(candidate: PublicCandidate): Promise<CandidateTerm> {
      const [reasons, histories] = await Promise.all([
        term.reasonCounts(candidate.id),
        term.promiseHistories({ candidateId: candidate.id }),
      ]);
      return { reasons, history: historyChart(monthlySeries(histories, now())) };
    },

    /** Month by month, a candidate's or an election's promises at each status. */
    async history(scope: { candidateId: number } | { electionId: number }): Promise<HistoryMonth[]> {
      return monthlySeries(await term.promiseHistories(scope), now());
    },
  };
}

export type TermService = ReturnType<typeof termService>;
