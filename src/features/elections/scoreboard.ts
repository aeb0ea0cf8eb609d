import { CLAIM_KINDS, type ClaimKind, type ClaimStatus, statusesFor } from '../claims/scales';
import { type Tone, toneOf } from '../claims/tones';

export interface ScoreboardRow {
  status: ClaimStatus;
  tone: Tone;
  count: number;
  /** Whole percent of the kind's total: equal counts show equal numbers (see wholePercents). */
  percent: number;
  /** Where this status's segment starts on a bar of width 100, and how wide it is. */
  offset: number;
  width: number;
}

/** One kind's scale: promises and statements are rated on different scales, so each gets its own bar. */
export interface ScaleScoreboard {
  kind: ClaimKind;
  total: number;
  rows: ScoreboardRow[];
}

export interface Scoreboard {
  total: number;
  /** Only the kinds that have claims, promises first. */
  scales: ScaleScoreboard[];
}

/** A scoreboard from counts by kind and status (any other fields are ignored). */
export function buildScoreboard(counts: readonly { kind: ClaimKind; status: ClaimStatus; count: number }[]) {
  const scales: ScaleScoreboard[] = [];
  for (const kind of CLAIM_KINDS) {
    const byStatus = new Map<ClaimStatus, number>();
    for (const c of counts) {
      if (c.kind === kind) byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + Number(c.count));
    }
    const total = [...byStatus.values()].reduce((sum, n) => sum + n, 0);
    if (total === 0) continue;
    const statuses = statusesFor(kind);
    const percents = wholePercents(statuses.map((status) => byStatus.get(status) ?? 0));
    let offset = 0;
    const rows = statuses.map((status, i) => {
      const count = byStatus.get(status) ?? 0;
      const width = (count / total) * 100;
      const row = { status, tone: toneOf(status), count, percent: percents[i] ?? 0, offset, width };
      offset += width;
      return row;
    });
    scales.push({ kind, total, rows });
  }
  return { total: scales.reduce((sum, s) => sum + s.total, 0), scales } satisfies Scoreboard;
}

/**
 * Whole percentages by largest remainder, so that they add up to 100, except where that would show two
 * equal counts as different numbers ("1 (15%)" beside "1 (14%)"): a point that cannot go to every one of
 * a group of equal counts goes to none of them, and the total stays just under 100. A larger count never
 * shows a smaller percentage than a smaller count.
 */
export function wholePercents(counts: readonly number[]): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((n) => (n * 100) / total);
  const floors = exact.map(Math.floor);
  let missing = 100 - floors.reduce((sum, n) => sum + n, 0);
  const groups = new Map<number, { remainder: number; members: number[] }>();
  exact.forEach((value, i) => {
    const remainder = value - Math.floor(value);
    if (remainder === 0) return;
    const count = counts[i] ?? 0;
    const group = groups.get(count) ?? { remainder, members: [] };
    group.members.push(i);
    groups.set(count, group);
  });
  for (const group of [...groups.values()].sort((a, b) => b.remainder - a.remainder)) {
    if (group.members.length > missing) break;
    for (const i of group.members) floors[i] = (floors[i] ?? 0) + 1;
    missing -= group.members.length;
  }
  return floors;
}
