// Caption files as YouTube and broadcasters give them (SubRip .srt, WebVTT .vtt): each cue's words and the
// moment it starts, so that a claim found in them carries its moment in the event.

export interface Cue {
  /** Seconds from the start of the recording. */
  start: number;
  text: string;
  /** The speaker a WebVTT voice tag names (<v Andi Harun>). */
  voice?: string;
}

/** A caption file that cannot be read: which line, and why (a message key). */
export class CaptionError extends Error {
  constructor(
    readonly key: 'caption_time_invalid' | 'caption_empty',
    readonly line: number,
  ) {
    super(key);
  }
}

// 00:01:02,345 (SubRip) or 00:01:02.345 / 01:02.345 (WebVTT; the hours may be left out).
const TIME = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)[,.](\d{1,3})$/;
const TIMING = /^(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

function seconds(stamp: string): number | undefined {
  const m = TIME.exec(stamp);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]!.padEnd(3, '0')) / 1000;
}

/** HH:MM:SS of a moment, as the API and the claim's `moment` carry it. */
export function formatMoment(totalSeconds: number): string {
  const whole = Math.floor(totalSeconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Markup inside a cue: voice and class tags, inline timestamps, SubRip's font tags and {\an8} positions. */
function cueText(lines: string[]): { text: string; voice?: string } {
  const joined = lines.join(' ');
  const voice = /<v(?:\.[^\s>]*)?\s+([^>]+)>/.exec(joined)?.[1]?.trim();
  const text = joined
    .replace(/<[^>]*>/g, '')
    .replace(/\{\\[^}]*\}/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/\s+/g, ' ')
    .trim();
  return voice ? { text, voice } : { text };
}

/** Whether a text looks like captions: a timing line within its first lines. */
export function looksLikeCaptions(text: string): boolean {
  return text.split('\n', 40).some((line) => /-->/.test(line) && TIMING.test(line.trim()));
}

/** The cues of a .srt or .vtt file, in the order given. Times that do not parse are an error. */
export function parseCaptions(text: string): Cue[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const cues: Cue[] = [];
  let i = 0;
  if (lines[0]?.startsWith('WEBVTT')) {
    // The header and its metadata run to the first blank line.
    while (i < lines.length && lines[i]!.trim() !== '') i += 1;
  }
  while (i < lines.length) {
    const line = lines[i]!.trim();
    if (line === '' || /^\d+$/.test(line) || /^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(line)) {
      if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(line)) {
        while (i < lines.length && lines[i]!.trim() !== '') i += 1;
      }
      i += 1;
      continue;
    }
    if (!line.includes('-->')) {
      // A cue identifier (WebVTT allows any text) is followed by its timing line.
      if (lines[i + 1]?.includes('-->')) {
        i += 1;
        continue;
      }
      throw new CaptionError('caption_time_invalid', i + 1);
    }
    const timing = TIMING.exec(line);
    const start = timing ? seconds(timing[1]!) : undefined;
    const end = timing ? seconds(timing[2]!) : undefined;
    if (start === undefined || end === undefined || end < start) {
      throw new CaptionError('caption_time_invalid', i + 1);
    }
    i += 1;
    const body: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') {
      body.push(lines[i]!);
      i += 1;
    }
    const cue = cueText(body);
    if (cue.text) cues.push({ start, ...cue });
  }
  if (cues.length === 0) throw new CaptionError('caption_empty', 1);
  return cues;
}

/**
 * Captions as one text to analyse, with where each cue begins: cues run on into sentences (a caption line
 * is rarely a sentence), and a new speaker (a voice tag, a ">>" or a "NAME:" label) starts a new line.
 */
export function captionsToText(cues: Cue[]): {
  text: string;
  moments: { offset: number; seconds: number }[];
} {
  let text = '';
  const moments: { offset: number; seconds: number }[] = [];
  let lastVoice: string | undefined;
  for (const cue of cues) {
    let words = cue.text;
    const newSpeaker =
      (cue.voice !== undefined && cue.voice !== lastVoice) ||
      /^(?:>>|-\s)/.test(words) ||
      /^[\p{Lu}][\p{Lu}\p{L} .'’]{1,40}:\s/u.test(words);
    if (cue.voice !== undefined && cue.voice !== lastVoice)
      words = `${cue.voice}: ${words.replace(/^>>\s*/, '')}`;
    if (cue.voice !== undefined) lastVoice = cue.voice;
    const separator = text === '' ? '' : newSpeaker ? '\n' : ' ';
    text += separator;
    moments.push({ offset: text.length, seconds: cue.start });
    text += words;
  }
  return { text, moments };
}

/** The moment at an offset of a text made by captionsToText: the start of the cue it falls in. */
export function momentAt(moments: { offset: number; seconds: number }[], offset: number): number | undefined {
  let low = 0;
  let high = moments.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (moments[mid]!.offset <= offset) {
      found = moments[mid]!.seconds;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}
