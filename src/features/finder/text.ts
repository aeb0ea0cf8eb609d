// Splitting pasted text into paragraphs and sentences, keeping every character as typed (a quote saved from
// the finder must match the source character for character, non-breaking spaces included).

export interface Span {
  /** Offset of the first character in the whole text. */
  start: number;
  end: number;
  text: string;
}

// Control characters other than tab and line feed (and the Unicode line separators), as a class built from
// code points: they are what is being removed.
const CONTROL = new RegExp(
  `[${[
    [0, 8],
    [11, 12],
    [14, 31],
    [127, 127],
    [0x2028, 0x2029],
  ]
    .map(([a, b]) => `\\u{${a!.toString(16)}}-\\u{${b!.toString(16)}}`)
    .join('')}]`,
  'gu',
);

/** Line breaks as one kind, control characters (other than line breaks and tabs) dropped. */
export function normaliseText(input: string): string {
  return input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ');
}

/** Each non-empty line is a paragraph: news copy separates them by blank lines, transcripts by turns. */
export function paragraphs(text: string): Span[] {
  const spans: Span[] = [];
  const line = /[^\n]+/g;
  for (let m = line.exec(text); m; m = line.exec(text)) {
    const trimmed = trimSpan({ start: m.index, end: m.index + m[0].length, text: m[0] });
    if (trimmed.text) spans.push(trimmed);
  }
  return spans;
}

/** Abbreviations after which a full stop does not end a sentence (Indonesian and English news copy). */
const ABBREVIATIONS = new Set([
  'dr',
  'drs',
  'dra',
  'ir',
  'h',
  'hj',
  'prof',
  'st',
  'sh',
  'se',
  'mh',
  'mm',
  'msi',
  'no',
  'nomor',
  'rp',
  'tn',
  'ny',
  'sdr',
  'bpk',
  'kh',
  'jl',
  'dll',
  'dsb',
  'dst',
  'tsb',
  'yth',
  'mr',
  'mrs',
  'ms',
  'jr',
  'vs',
  'etc',
  'kab',
  'kec',
  'kel',
  'prov',
  'pt',
  'cv',
  'tbk',
]);

function trimSpan(span: Span): Span {
  const lead = span.text.length - span.text.replace(/^\s+/, '').length;
  const body = span.text.trim();
  return { start: span.start + lead, end: span.start + lead + body.length, text: body };
}

/**
 * The sentences of a span: split after . ! ? … (and a closing quote mark or bracket right after them)
 * when whitespace follows, except after an abbreviation, an initial ("M. Yamin") or between digits
 * ("1.000"). A sentence keeps its end mark.
 */
export function sentences(span: Span): Span[] {
  const { text } = span;
  const result: Span[] = [];
  let from = 0;
  const end = /[.!?…]+["”’»)\]]*(?=\s|$)/g;
  for (let m = end.exec(text); m; m = end.exec(text)) {
    const stop = m.index + m[0].length;
    if (m[0].startsWith('.') && m[0].length === 1 && isAbbreviationBefore(text, m.index)) continue;
    pushSentence(result, span, from, stop);
    from = stop;
  }
  pushSentence(result, span, from, text.length);
  return result;
}

function pushSentence(into: Span[], span: Span, from: number, to: number) {
  const piece = trimSpan({ start: span.start + from, end: span.start + to, text: span.text.slice(from, to) });
  if (/[\p{L}\p{N}]/u.test(piece.text)) into.push(piece);
}

function isAbbreviationBefore(text: string, dot: number): boolean {
  const before = /([\p{L}]+)$/u.exec(text.slice(Math.max(0, dot - 12), dot));
  if (!before) return false;
  const word = before[1]!;
  // A single capital letter is an initial ("M. Yamin", "A. Harun").
  if (word.length === 1 && word === word.toUpperCase()) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Words as a reader counts them. */
export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu);
  return words ? words.length : 0;
}

/** Whitespace (non-breaking spaces included) folded to single spaces, for comparing and showing. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
