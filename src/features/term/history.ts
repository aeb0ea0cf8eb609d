import { PROMISE_STATUSES, type PromiseStatus } from '../claims/scales';
import { type Tone, toneOf } from '../claims/tones';
import type { PromiseHistory } from './term.repository';

export interface HistoryMonth {
  /** 'YYYY-MM' */
  month: string;
  /** How many promises stood at each status at the end of the month (for this month: now). */
  counts: Record<PromiseStatus, number>;
  total: number;
}

function monthKey(year: number, month: number): string {
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

/**
 * Month by month, how many promises stood at each status, from their published history alone: a promise
 * counts from the month it was said (or published), at its first status until its first approved change,
 * then at the status of its latest approved change before the month ended. Months are calendar months
 * in UTC, the zone timestamps are kept in; they run from the first promise's month to `now`'s.
 */
export function monthlySeries(promises: readonly PromiseHistory[], now: Date): HistoryMonth[] {
  if (promises.length === 0) return [];
  const start = promises.map((p) => p.since.slice(0, 7)).sort()[0] as string;
  let year = Number(start.slice(0, 4));
  let month = Number(start.slice(5, 7)) - 1;
  const last = monthKey(now.getUTCFullYear(), now.getUTCMonth());
  // Each promise's position in its changes: months only move forward, so each change is read once.
  const next = promises.map(() => 0);
  const status = promises.map((): PromiseStatus => 'not_rated');
  const series: HistoryMonth[] = [];
  for (;;) {
    const key = monthKey(year, month);
    if (key > last) break;
    const end = Date.UTC(year, month + 1, 1);
    const counts = Object.fromEntries(PROMISE_STATUSES.map((s) => [s, 0])) as Record<PromiseStatus, number>;
    let total = 0;
    promises.forEach((promise, i) => {
      let at = next[i] as number;
      while (at < promise.changes.length && (promise.changes[at] as { at: Date }).at.getTime() < end) {
        status[i] = (promise.changes[at] as { to: PromiseStatus }).to;
        at += 1;
      }
      next[i] = at;
      if (promise.since.slice(0, 7) > key) return;
      counts[status[i] as PromiseStatus] += 1;
      total += 1;
    });
    series.push({ month: key, counts, total });
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return series;
}

export interface HistoryBar {
  month: string;
  x: number;
  segments: { status: PromiseStatus; tone: Tone; y: number; height: number }[];
}

/** Bar width and chart height in the SVG's own units (it is stretched to the page's width). */
export const BAR_WIDTH = 10;
export const CHART_HEIGHT = 100;

/**
 * The series as stacked bars, one per month, scale order from the bottom (not yet rated first), each
 * bar as tall as its month's total against the tallest month.
 */
export function historyBars(series: readonly HistoryMonth[]): HistoryBar[] {
  const tallest = Math.max(1, ...series.map((m) => m.total));
  return series.map((m, i) => {
    let top = CHART_HEIGHT;
    const segments = [];
    for (const status of PROMISE_STATUSES) {
      const count = m.counts[status];
      if (count === 0) continue;
      const height = (count / tallest) * CHART_HEIGHT;
      top -= height;
      segments.push({ status, tone: toneOf(status), y: top, height });
    }
    return { month: m.month, x: i * BAR_WIDTH, segments };
  });
}
