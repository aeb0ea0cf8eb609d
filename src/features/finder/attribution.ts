// The attribution patterns of Indonesian (and English) news writing: who said a quote, found in the words
// right after it ("…," ujar Andi Harun / ujarnya), right before it (Andi Harun mengatakan, "…"), in a
// transcript's speaker label ("ANDI HARUN: …"), or in a sentence of reported speech (Andi Harun mengatakan
// bahwa …, Menurut Andi Harun, …).

/** Who said something, as the text names them: a name, or a pronoun to resolve from what came before. */
export type Attribution =
  | {
      kind: 'name';
      /** The name as written ("Andi Harun"). */
      name: string;
      /** The words around it, when there were more ("Andi Harun dalam uraiannya"), for resolving it. */
      context?: string;
    }
  | { kind: 'pronoun' };

// Verbs of saying after a quote, bare or with -nya ("ujarnya" = "he/she said").
const AFTER_VERBS =
  'kata|ujar|ucap|tutur|jelas|ungkap|tegas|sebut|tambah|beber|imbuh|terang|papar|lanjut|pungkas|tandas|sambung|seru|tukas|akui|aku|klaim|janji';
// Verbs of saying in the active voice, before a quote or in reported speech.
const ACTIVE_VERBS =
  'mengatakan|menyatakan|menjelaskan|menegaskan|mengungkapkan|menyebutkan|menyebut|menambahkan|membeberkan|menerangkan|memaparkan|menyampaikan|mengklaim|mengaku|mengakui|berkata|berujar|bertutur|berjanji|menjanjikan|menargetkan|mengimbuhkan';
const ENGLISH_VERBS =
  'said|says|told|added|explained|stressed|claimed|promised|pledged|stated|insisted|argued';

const PRONOUNS = /^(?:ia|dia|beliau|mereka|he|she|they)$/i;

const AFTER_ID = new RegExp(
  `^[\\s,.;:–—-]*(?:(?:demikian|begitu)\\s+)?(?:${AFTER_VERBS})(nya)?(?![\\p{L}])\\s*(.*)$`,
  'iu',
);
const AFTER_EN_VERB_FIRST = new RegExp(`^[\\s,.;:–—-]*(?:${ENGLISH_VERBS})\\s+(.*)$`, 'iu');
const AFTER_EN_NAME_FIRST = new RegExp(`^[\\s,.;:–—-]*(.{1,80}?)\\s+(?:${ENGLISH_VERBS})(?![\\p{L}])`, 'iu');

const BEFORE_VERB = new RegExp(
  `(?:^|[\\s,])([^.!?]{0,120}?)\\s+(?:juga\\s+|pun\\s+|kembali\\s+)?(?:${ACTIVE_VERBS}|${ENGLISH_VERBS})(?:\\s+(?:bahwa|that))?\\s*[,:]?\\s*$`,
  'iu',
);
const BEFORE_ACCORDING = /(?:^|[\s,.])(?:menurut|kata|according to)\s+([^,:]{1,80})[,:]?\s*$/iu;
const BEFORE_LABEL = /(?:^|[\s.])([\p{Lu}][\p{L}.'’ ]{0,60}?)\s*:\s*$/u;

/** The name part of a chunk of copy: up to the first comma, bracket or full stop, titles kept. */
function nameOf(chunk: string): Attribution | undefined {
  const piece = chunk
    .split(/[,;(]|\.\s/)[0]!
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.:]+$/, '');
  if (!piece) return undefined;
  if (PRONOUNS.test(piece)) return { kind: 'pronoun' };
  // A name is written with capitals: "kepada wartawan" after a verb is not one.
  const runs = capitalisedRuns(piece);
  if (runs.length === 0) return undefined;
  const name = runs.find((run) => run.includes(' ')) ?? runs[0]!;
  return {
    kind: 'name',
    name: name.slice(0, 80),
    ...(name !== piece ? { context: piece.slice(0, 120) } : {}),
  };
}

/** Runs of words written with a capital ("Wali Kota Andi Harun"), joined by bin/van/de where they occur. */
function capitalisedRuns(text: string): string[] {
  const runs: string[] = [];
  let current: string[] = [];
  for (const word of text.split(' ')) {
    if (/^[\p{Lu}\p{N}]/u.test(word) || (current.length > 0 && /^(?:bin|binti|van|de|al)$/i.test(word))) {
      current.push(word);
    } else if (current.length > 0) {
      runs.push(current.join(' '));
      current = [];
    }
  }
  if (current.length > 0) runs.push(current.join(' '));
  return runs.filter((run) => /\p{Lu}/u.test(run));
}

/** Who a quote is attributed to by the words right after it in its paragraph. */
export function attributionAfter(tail: string): Attribution | undefined {
  const id = AFTER_ID.exec(tail);
  if (id) {
    if (id[1]) return { kind: 'pronoun' };
    return nameOf(id[2] ?? '') ?? { kind: 'pronoun' };
  }
  const enVerb = AFTER_EN_VERB_FIRST.exec(tail);
  if (enVerb) return nameOf(enVerb[1] ?? '');
  const enName = AFTER_EN_NAME_FIRST.exec(tail);
  if (enName) return nameOf(enName[1] ?? '');
  return undefined;
}

/** Who a quote is attributed to by the words right before it in its paragraph. */
export function attributionBefore(lead: string): Attribution | undefined {
  const according = BEFORE_ACCORDING.exec(lead);
  if (according) return nameOf(according[1] ?? '');
  const verb = BEFORE_VERB.exec(lead);
  if (verb) {
    // The subject is the end of the clause before the verb ("Dalam debat itu, Andi Harun mengatakan").
    const clause = (verb[1] ?? '').split(',').pop() ?? '';
    return nameOf(clause) ?? (PRONOUNS.test(clause.trim()) ? { kind: 'pronoun' } : undefined);
  }
  const label = BEFORE_LABEL.exec(lead);
  if (label) return nameOf(label[1] ?? '');
  return undefined;
}

/** A transcript line's speaker label ("ANDI HARUN: …", ">> Moderator: …"): the label and where speech starts. */
export function speakerLabel(line: string): { label: string; rest: number } | undefined {
  const m = /^(?:>>\s*|-\s*)?([\p{Lu}][\p{L}\p{N}.'’ ()-]{0,50}?)\s*:\s+(?=\S)/u.exec(line);
  if (!m) return undefined;
  const label = m[1]!.trim();
  // At most six words, and not a clock time or a heading such as "Catatan".
  if (label.split(/\s+/).length > 6 || /^\d/.test(label)) return undefined;
  return { label, rest: m[0].length };
}

/** Who is a moderator, panelist or host: their lines ask, they do not claim. */
export function isProcedureRole(label: string): boolean {
  return /^(?:moderator|pembawa acara|mc|panelis|host|presenter|pewawancara|interviewer|reporter|wartawan|penanya|audiens|hadirin|narator|narrator)\b/i.test(
    label.trim(),
  );
}

const REPORTED_ID = new RegExp(
  `^(?:[^,]{0,80},\\s*)?([^,]{1,80}?)\\s+(?:juga\\s+|pun\\s+|kembali\\s+|dalam uraiannya\\s+|dalam paparannya\\s+)?(?:${ACTIVE_VERBS})(?:\\s+(?:bahwa|jika|kalau))?\\s*,?\\s+(.+)$`,
  'iu',
);
const REPORTED_ACCORDING = /^(?:menurut|according to)\s+([^,]{1,80}),\s*(.+)$/iu;
const REPORTED_EN = new RegExp(`^([^,]{1,80}?)\\s+(?:${ENGLISH_VERBS})(?:\\s+that)?\\s+(.+)$`, 'iu');

/** A sentence of reported speech: who (as the text names them) and what, in the reporter's words. */
export function reportedSpeech(sentence: string): { who: Attribution; content: string } | undefined {
  for (const pattern of [REPORTED_ACCORDING, REPORTED_ID, REPORTED_EN]) {
    const m = pattern.exec(sentence);
    if (!m) continue;
    const subject = m[1]!.trim();
    const who = PRONOUNS.test(subject) ? ({ kind: 'pronoun' } as const) : nameOf(subject);
    if (who && (m[2] ?? '').split(/\s+/).length >= 4) return { who, content: m[2]! };
  }
  return undefined;
}
