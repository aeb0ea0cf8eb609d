// The finder's analysis: from a text (an article, a press release, a transcript, captions, a manifesto) to
// suggested claims, each with its quote, speaker, kind, check-worthiness and moment. Pure: no database, no
// request; the duplicates are looked up afterwards, in one query for all of them.

import type { ClaimKind } from '../claims/scales';
import {
  type Attribution,
  attributionAfter,
  attributionBefore,
  isProcedureRole,
  reportedSpeech,
  speakerLabel,
} from './attribution';
import { formatMoment, momentAt } from './captions';
import { detectKind, type Reason, scoreSentence } from './checkworthiness';
import { findQuotes, insideAny, type QuoteSpan } from './quotes';
import type { Mention, Roster } from './speakers';
import { normaliseText, paragraphs, type Span, sentences, squash } from './text';

export type SuggestionOrigin = 'quote' | 'quote_part' | 'reported' | 'speech' | 'programme_item' | 'document';

export interface Suggestion {
  quote: string;
  isParaphrase: boolean;
  origin: SuggestionOrigin;
  /** The speaker as the text names them, or null when unknown. */
  speakerName: string | null;
  /** The candidate (ticket) of the election the speaker resolved to. */
  candidateId: number | null;
  kind: ClaimKind;
  score: number;
  reasons: Reason[];
  /** HH:MM:SS from the start of the recording, for captions. */
  moment: string | null;
  /** Where it starts in the analysed text (the order of the text, for ties). */
  offset: number;
  /** What the duplicates are looked up by: the quote and, for a quote of several sentences, each one. */
  lookupKeys: string[];
}

export interface AnalysisInput {
  text: string;
  roster: Roster;
  /** Where each caption cue starts in `text` (captionsToText). */
  moments?: { offset: number; seconds: number }[];
}

/** Shorter than this, a quoted phrase is a term or a scare quote, not a claim. */
const MIN_QUOTE_WORDS = 4;
/** Sentences of a transcript or a manifesto below this score are small talk, not claims. */
const MIN_SPEECH_SCORE = 25;
const MIN_DOCUMENT_SCORE = 50;
const MAX_KEY_LENGTH = 1000;

const LIST_ITEM = /^(?:\d{1,2}[.)]|\(\d{1,2}\)|[a-zA-Z][.)]|[-•*–·▪●○■□➢►✓])\s+(?=\S)/u;
const BOILERPLATE =
  /^(?:baca juga|lihat juga|simak juga|berita terkait|read more|see also|advertisement|iklan)\b/i;

interface Speaker {
  name: string | null;
  candidateId: number | null;
}

const words = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

export function analyse(input: AnalysisInput): Suggestion[] {
  const text = normaliseText(input.text);
  const { roster } = input;
  const paras = paragraphs(text);
  const quotesOf = new Map<Span, QuoteSpan[]>(
    paras.map((p) => [p, speakerLabel(p.text) ? [] : findQuotes(p)]),
  );
  const labelled = paras.some((p) => speakerLabel(p.text) !== undefined);
  const anyQuote = [...quotesOf.values()].some((qs) =>
    qs.some((q) => words(q.inner.text) >= MIN_QUOTE_WORDS),
  );

  // Who was named last before a point of the text, for "ujarnya", "Ia mengatakan" and unlabelled lines.
  const mentions: Mention[] = [];
  for (const p of paras) {
    const qs = quotesOf.get(p)!;
    for (const m of roster.mentionsIn(p.text, p.start)) if (!insideAny(qs, m.offset, m.end)) mentions.push(m);
  }
  const named: { offset: number; speaker: Speaker }[] = [];
  const lastSpeakerBefore = (offset: number): Speaker => {
    let mention: Mention | undefined;
    for (const m of mentions) {
      if (m.offset >= offset) break;
      mention = m;
    }
    let attributed: { offset: number; speaker: Speaker } | undefined;
    for (const n of named) if (n.offset < offset) attributed = n;
    if (attributed && (!mention || attributed.offset > mention.offset)) return attributed.speaker;
    if (mention)
      return {
        name: roster.byId(mention.candidateId)?.name ?? mention.text,
        candidateId: mention.candidateId,
      };
    return { name: null, candidateId: null };
  };
  const resolveAttribution = (who: Attribution | undefined, at: number): Speaker => {
    if (!who || who.kind === 'pronoun') return lastSpeakerBefore(at);
    const candidate = roster.resolve(who.context ?? who.name) ?? roster.resolve(who.name);
    return { name: who.name, candidateId: candidate?.id ?? null };
  };

  const moment = (offset: number) => {
    if (!input.moments) return null;
    const seconds = momentAt(input.moments, offset);
    return seconds === undefined ? null : formatMoment(seconds);
  };

  const found: Suggestion[] = [];
  const suggest = (
    span: Span,
    origin: SuggestionOrigin,
    speaker: Speaker,
    options: { paraphrase?: boolean; programmeItem?: boolean; minScore?: number } = {},
  ) => {
    const quote = span.text.trim();
    const { score, reasons } = scoreSentence(quote, options.programmeItem);
    if (options.minScore !== undefined && score < options.minScore) return;
    const parts = sentences({ start: span.start, end: span.end, text: quote }).map((s) => s.text);
    found.push({
      quote,
      isParaphrase: options.paraphrase ?? false,
      origin,
      speakerName: speaker.name,
      candidateId: speaker.candidateId,
      kind: detectKind(quote, options.programmeItem),
      score,
      reasons,
      moment: moment(span.start),
      offset: span.start,
      lookupKeys: [...new Set([quote, ...(parts.length > 1 ? parts : [])])].map((k) =>
        squash(k).slice(0, MAX_KEY_LENGTH),
      ),
    });
  };

  let reportedFound = false;
  for (const p of paras) {
    if (BOILERPLATE.test(p.text)) continue;

    const label = speakerLabel(p.text);
    if (label) {
      // A transcript turn: every sentence after the label is the speaker's own words.
      if (isProcedureRole(label.label)) {
        named.push({ offset: p.start, speaker: { name: label.label, candidateId: null } });
        continue;
      }
      const candidate = roster.resolve(label.label);
      const speaker = { name: label.label, candidateId: candidate?.id ?? null };
      named.push({ offset: p.start, speaker });
      const speech = { start: p.start + label.rest, end: p.end, text: p.text.slice(label.rest) };
      for (const s of sentences(speech)) {
        if (words(s.text) >= MIN_QUOTE_WORDS) suggest(s, 'speech', speaker, { minScore: MIN_SPEECH_SCORE });
      }
      continue;
    }

    const qs = quotesOf.get(p)!;
    qs.forEach((q, index) => {
      const leadFrom = index === 0 ? p.start : qs[index - 1]!.outer.end;
      const tailTo = index + 1 < qs.length ? qs[index + 1]!.outer.start : p.end;
      const lead = text.slice(leadFrom, q.outer.start);
      const tail = text.slice(q.outer.end, tailTo);
      const who = attributionAfter(tail) ?? attributionBefore(lead);
      const speaker = resolveAttribution(who, q.outer.start);
      if (who?.kind === 'name') named.push({ offset: q.outer.end, speaker });
      if (words(q.inner.text) < MIN_QUOTE_WORDS) return;
      suggest(q.inner, 'quote', speaker);
      const parts = sentences(q.inner);
      if (parts.length > 1) {
        // A figure in one sentence of a longer quote is often a claim of its own ("Dulu 40 OPD, …").
        for (const part of parts)
          if (/\p{N}/u.test(part.text) && words(part.text) >= 3) suggest(part, 'quote_part', speaker);
      }
    });

    const item = LIST_ITEM.exec(p.text);
    if (item && qs.length === 0) {
      const body = { start: p.start + item[0].length, end: p.end, text: p.text.slice(item[0].length) };
      if (words(body.text) >= 3) {
        suggest(body, 'programme_item', lastSpeakerBefore(p.start), { programmeItem: true });
        continue;
      }
    }

    for (const s of sentences(p)) {
      if (insideAny(qs, s.start, s.end) || /["“”«»]/.test(s.text)) continue;
      const reported = reportedSpeech(s.text);
      if (!reported) continue;
      const speaker = resolveAttribution(reported.who, s.start);
      if (reported.who.kind === 'name') named.push({ offset: s.start, speaker });
      reportedFound = true;
      suggest(s, 'reported', speaker, { paraphrase: true });
    }
  }

  if (!anyQuote && !labelled && !reportedFound) {
    // A document in the candidates' own words (a visi-misi): its checkable sentences.
    for (const p of paras) {
      if (BOILERPLATE.test(p.text) || LIST_ITEM.test(p.text)) continue;
      for (const s of sentences(p)) {
        if (words(s.text) >= 5)
          suggest(s, 'document', lastSpeakerBefore(s.start), { minScore: MIN_DOCUMENT_SCORE });
      }
    }
  }

  return rank(found);
}

/** Highest score first, then in the order of the text; the same words offered once. */
function rank(found: Suggestion[]): Suggestion[] {
  const seen = new Set<string>();
  return found
    .sort((a, b) => b.score - a.score || a.offset - b.offset)
    .filter((s) => {
      const key = squash(s.quote).toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
