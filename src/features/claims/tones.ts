import type { ClaimStatus } from './scales';

/** The colour family of a status (badges, bars); the label is always written next to it. */
export type Tone = 'good' | 'mid' | 'bad' | 'neutral';

const TONES: Partial<Record<ClaimStatus, Tone>> = {
  kept: 'good',
  true: 'good',
  mostly_true: 'good',
  compromise: 'mid',
  half_true: 'mid',
  in_progress: 'mid',
  unproven: 'mid',
  broken: 'bad',
  false: 'bad',
  misleading: 'bad',
  stalled: 'bad',
};

export function toneOf(status: ClaimStatus): Tone {
  return TONES[status] ?? 'neutral';
}

/** The same colours as the stylesheet; text on them is white at AA contrast or better. */
export const TONE_COLOURS: Record<Tone, string> = {
  good: '#1e6b34',
  mid: '#7a5200',
  bad: '#a1221b',
  neutral: '#4a4a4a',
};
