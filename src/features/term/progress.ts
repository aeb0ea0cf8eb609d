import { isFinalStatus } from '../claims/scales';
import type { TermPromise } from './term.repository';

const DAY = 86_400_000;

/** How far a term has run on `today`, and which promises fall due before it ends or are overdue. */
export interface TermProgress {
  start: string;
  end: string;
  today: string;
  state: 'before' | 'running' | 'over';
  totalDays: number;
  /** Days run, 0 before the start and totalDays after the end. */
  elapsedDays: number;
  /** Whole percent of the term run (0–100). */
  percent: number;
  /** Not yet finally rated, with a deadline from today to the term's end, soonest first. */
  dueBeforeEnd: TermPromise[];
  /** Not yet finally rated, with a deadline before today, oldest first. */
  overdue: TermPromise[];
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/**
 * The term's progress. Days are calendar days (UTC, the zone timestamps are kept in, as for deadlines on
 * the newsroom dashboard); a promise is overdue when its deadline has passed and its status is not yet a
 * final rating (not rated, in progress).
 */
export function termProgress(
  term: { start: string; end: string },
  promises: readonly TermPromise[],
  today: string,
): TermProgress {
  const totalDays = Math.max(1, days(term.start, term.end));
  const elapsedDays = Math.min(totalDays, Math.max(0, days(term.start, today)));
  const state = today < term.start ? 'before' : today > term.end ? 'over' : 'running';
  const open = promises.filter((p) => p.deadline !== null && !isFinalStatus(p.status));
  const byDeadline = (a: TermPromise, b: TermPromise) =>
    (a.deadline as string).localeCompare(b.deadline as string) || a.id - b.id;
  return {
    start: term.start,
    end: term.end,
    today,
    state,
    totalDays,
    elapsedDays,
    percent: Math.round((elapsedDays / totalDays) * 100),
    dueBeforeEnd: open
      .filter((p) => (p.deadline as string) >= today && (p.deadline as string) <= term.end)
      .sort(byDeadline),
    overdue: open.filter((p) => (p.deadline as string) < today).sort(byDeadline),
  };
}

/** How many of these promises are overdue on `today`. */
export function overdueCount(promises: readonly TermPromise[], today: string): number {
  return promises.filter((p) => p.deadline !== null && p.deadline < today && !isFinalStatus(p.status)).length;
}
