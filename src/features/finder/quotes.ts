import type { Span } from './text';

/** A direct quote in a paragraph: the marks included in `outer`, the words said in `inner`. */
export interface QuoteSpan {
  outer: Span;
  inner: Span;
  /** The paragraph ended before a closing mark (news style for a quote running on). */
  unclosed: boolean;
}

// The quote marks of Indonesian and English copy. Straight double quotes close themselves; the single
// curly quote closes only where no letter follows, so that an apostrophe ("don’t", "Jum’at") does not.
const PAIRS: Record<string, string> = { '"': '"', '“': '”', '‘': '’', '«': '»', '„': '“' };

const isLetter = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Whether a quote mark at `i` can open a quote: at the start or after a space, a bracket or punctuation. */
function canOpen(text: string, i: number): boolean {
  const before = text[i - 1];
  const after = text[i + 1];
  if (after === undefined || /\s/.test(after)) return false;
  return before === undefined || !isLetter(before);
}

/** The direct quotes of one paragraph, outermost only (a quote inside a quote stays part of it). */
export function findQuotes(paragraph: Span): QuoteSpan[] {
  const { text } = paragraph;
  const found: QuoteSpan[] = [];
  let open = -1;
  let closer = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (open < 0) {
      if (PAIRS[ch] !== undefined && canOpen(text, i)) {
        open = i;
        closer = PAIRS[ch]!;
      }
      continue;
    }
    if (ch !== closer) continue;
    if (closer === '’' && isLetter(text[i + 1])) continue;
    found.push(makeQuote(paragraph, open, i + 1, false));
    open = -1;
  }
  if (open >= 0) found.push(makeQuote(paragraph, open, text.length, true));
  return found.filter((q) => q.inner.text.length > 0);
}

function makeQuote(paragraph: Span, from: number, to: number, unclosed: boolean): QuoteSpan {
  const innerFrom = from + 1;
  const innerTo = unclosed ? to : to - 1;
  const raw = paragraph.text.slice(innerFrom, innerTo);
  const lead = raw.length - raw.replace(/^\s+/, '').length;
  const body = raw.trim();
  return {
    outer: { start: paragraph.start + from, end: paragraph.start + to, text: paragraph.text.slice(from, to) },
    inner: {
      start: paragraph.start + innerFrom + lead,
      end: paragraph.start + innerFrom + lead + body.length,
      text: body,
    },
    unclosed,
  };
}

/** Whether a span of the text falls inside one of the quotes. */
export function insideAny(quotes: QuoteSpan[], start: number, end: number): boolean {
  return quotes.some((q) => start < q.outer.end && end > q.outer.start);
}
