import type { ClaimKind, ClaimStatus } from '../claims/scales';
import { TONE_COLOURS, toneOf } from '../claims/tones';

/**
 * The verdict meter: a staircase of five bars from the worst end of a kind's scale to the best, the bar
 * where the claim sits drawn in its status's colour with a pointer under it. Position, height and the
 * pointer say where it sits without colour; the status is always written beside the drawing too. A
 * status with no place on the line (not yet rated or checked, unproven) or a retracted claim draws every
 * bar as an empty outline and no pointer.
 */
const LINES: Record<ClaimKind, readonly ClaimStatus[]> = {
  statement: ['false', 'misleading', 'half_true', 'mostly_true', 'true'],
  promise: ['broken', 'stalled', 'in_progress', 'compromise', 'kept'],
};

export const METER_WIDTH = 100;
export const METER_HEIGHT = 64;
const BAR_WIDTH = 16;
const BAR_STEP = 21;
const BASE = 52;

export interface MeterBar {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  stroke: string;
  current: boolean;
}

export interface Meter {
  bars: MeterBar[];
  /** The pointer under the current bar (SVG polygon points), when the claim has a place on the line. */
  pointer: string | undefined;
  colour: string;
  /** 1 to 5 from the worst end, when the claim has a place on the line. */
  position: number | undefined;
  count: number;
  /** The statuses at the two ends of the line, worst first. */
  ends: [ClaimStatus, ClaimStatus];
}

const EMPTY_FILL = '#ffffff';
const OTHER_FILL = '#e4e4e4';
// 4.5:1 on white: the outlines are visible to readers with low vision, and in print.
const OUTLINE = '#6b6b6b';

export function meterOf(kind: ClaimKind, status: ClaimStatus, retracted = false): Meter {
  const line = LINES[kind];
  const at = retracted ? -1 : line.indexOf(status);
  const colour = TONE_COLOURS[retracted ? 'neutral' : toneOf(status)];
  const bars = line.map((_, i) => {
    const height = 20 + i * 8;
    const current = i === at;
    return {
      x: 2 + i * BAR_STEP,
      y: BASE - height,
      width: BAR_WIDTH,
      height,
      fill: current ? colour : at === -1 ? EMPTY_FILL : OTHER_FILL,
      stroke: current ? colour : OUTLINE,
      current,
    };
  });
  const centre = 2 + at * BAR_STEP + BAR_WIDTH / 2;
  return {
    bars,
    pointer: at === -1 ? undefined : `${centre},55 ${centre + 7},63 ${centre - 7},63`,
    colour,
    position: at === -1 ? undefined : at + 1,
    count: line.length,
    ends: [line[0] as ClaimStatus, line[line.length - 1] as ClaimStatus],
  };
}

/** The meter as SVG elements, for documents we write as text (the badge, the share images). */
export function meterElements(meter: Meter, options: { x: number; y: number; scale: number }): string {
  const parts = meter.bars.map(
    (bar) =>
      `<rect x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" rx="2" fill="${bar.fill}" stroke="${bar.stroke}" stroke-width="1.5"/>`,
  );
  if (meter.pointer) parts.push(`<polygon points="${meter.pointer}" fill="${meter.colour}"/>`);
  return `<g transform="translate(${options.x} ${options.y}) scale(${options.scale})">${parts.join('')}</g>`;
}

/** What the verdict page draws: the meter, the status in words, and the sentence a screen reader reads. */
export function meterView(
  claim: { kind: ClaimKind; status: ClaimStatus; retracted: boolean },
  t: (key: string, params?: Record<string, string | number>) => string,
) {
  const meter = meterOf(claim.kind, claim.status, claim.retracted);
  const status = claim.retracted ? t('workflow.retracted') : t(`status.${claim.status}`);
  const low = t(`status.${meter.ends[0]}`);
  const high = t(`status.${meter.ends[1]}`);
  return {
    meter,
    status,
    low,
    high,
    description:
      meter.position === undefined
        ? t('meter.off_line', { status, low, high })
        : t('meter.on_line', { status, position: meter.position, count: meter.count, low, high }),
  };
}

export type MeterView = ReturnType<typeof meterView>;
