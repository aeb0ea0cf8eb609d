// Who is speaking: names found in the text resolved to a candidate (ticket) of the election by full name,
// running mate, short name, ballot number or an alias an editor recorded on the candidate.

export interface RosterCandidate {
  id: number;
  name: string;
  running_mate: string | null;
  aliases: string[];
  ballot_number: number | null;
}

export interface Mention {
  offset: number;
  end: number;
  candidateId: number;
  /** The words as written in the text. */
  text: string;
}

interface NameVariant {
  candidateId: number;
  pattern: RegExp;
}

/** Honorifics and offices that come before a name in news copy; left out when comparing names. */
const TITLES =
  /^(?:(?:bapak|pak|bu|ibu|mas|mbak|bang|kang|cak|daeng|kak|haji|hajah|h|hj|dr|drs|ir|prof|kh|sdr|mr|mrs|ms|calon|cawalkot|cawawalkot|cagub|cawagub|cabup|cawabup|paslon|wali|kota|wakil|bupati|gubernur|petahana|candidate|mayor|governor)\.?\s+)+/i;

// Words too common in Indonesian names to stand for one person on their own.
const COMMON_WORDS = new Set(['muhammad', 'mohammad', 'muhamad', 'abdul', 'nur', 'haji', 'bin', 'binti']);

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Accents dropped letter by letter, keeping every offset (a letter that does not fold to one stays). */
function stripAccents(text: string): string {
  return text.replace(/[^\u0000-\u007f]/g, (ch) => {
    const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    return bare.length === 1 ? bare : ch;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name as a pattern: whole words, any run of spaces (non-breaking too) between them. */
function namePattern(name: string, caseSensitive: boolean): RegExp {
  const words = fold(name).split(' ').map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu');
}

export interface Roster {
  candidates: RosterCandidate[];
  /** Every mention of a candidate in a piece of text, in order. */
  mentionsIn(text: string, offset?: number): Mention[];
  /** The candidate a name found in the text stands for, if any. */
  resolve(name: string): RosterCandidate | undefined;
  byId(id: number): RosterCandidate | undefined;
}

export function buildRoster(candidates: RosterCandidate[]): Roster {
  const variants: NameVariant[] = [];
  const wordOwners = new Map<string, Set<number>>();
  for (const c of candidates) {
    for (const person of [c.name, c.running_mate ?? '']) {
      for (const word of fold(person).toLowerCase().split(' ')) {
        if (word.length < 4 || COMMON_WORDS.has(word)) continue;
        if (!wordOwners.has(word)) wordOwners.set(word, new Set());
        wordOwners.get(word)!.add(c.id);
      }
    }
  }
  for (const c of candidates) {
    const names = [c.name, c.running_mate ?? ''].filter((n) => fold(n).length >= 2);
    for (const name of names) variants.push({ candidateId: c.id, pattern: namePattern(name, false) });
    for (const alias of c.aliases) {
      const folded = fold(alias);
      if (folded.length < 2) continue;
      // An alias in capitals ("AH") is matched as written: lower case, it is an ordinary word ("ah").
      const caseSensitive = folded === folded.toUpperCase() && folded.length <= 4;
      variants.push({ candidateId: c.id, pattern: namePattern(folded, caseSensitive) });
      // "kang Emil" is also "Emil": the copy often leaves the honorific out, or the name is read without it.
      const bare = folded.replace(TITLES, '');
      if (bare !== folded && bare.length >= 3) {
        variants.push({ candidateId: c.id, pattern: namePattern(bare, false) });
      }
    }
    // Short names: a word of the candidate's or running mate's name that no other ticket shares.
    for (const [word, owners] of wordOwners) {
      if (owners.size === 1 && owners.has(c.id)) {
        variants.push({ candidateId: c.id, pattern: namePattern(word, false) });
      }
    }
  }
  // Longer names first, so that "Andi Harun" is one mention rather than "Harun" inside it.
  variants.sort((a, b) => b.pattern.source.length - a.pattern.source.length);

  const byId = new Map(candidates.map((c) => [c.id, c]));

  function mentionsIn(text: string, offset = 0): Mention[] {
    const folded = stripAccents(text);
    const taken: Mention[] = [];
    for (const variant of variants) {
      variant.pattern.lastIndex = 0;
      for (let m = variant.pattern.exec(folded); m; m = variant.pattern.exec(folded)) {
        const start = m.index;
        const end = start + m[0].length;
        if (taken.some((t) => start < t.end - offset && end > t.offset - offset)) continue;
        taken.push({
          offset: offset + start,
          end: offset + end,
          candidateId: variant.candidateId,
          text: m[0],
        });
      }
    }
    return taken.sort((a, b) => a.offset - b.offset);
  }

  function resolve(name: string): RosterCandidate | undefined {
    const bare = fold(name).replace(TITLES, '');
    const ballot =
      /^(?:paslon|pasangan calon|pasangan|calon|nomor urut|no\.? urut)\s*(?:nomor\s*)?(?:urut\s*)?(\d{1,2})$/i.exec(
        fold(name),
      );
    if (ballot) return candidates.find((c) => c.ballot_number === Number(ballot[1]));
    const found = mentionsIn(bare);
    if (found.length === 0) return undefined;
    const ids = new Set(found.map((m) => m.candidateId));
    return ids.size === 1 ? byId.get(found[0]!.candidateId) : undefined;
  }

  return { candidates, mentionsIn, resolve, byId: (id) => byId.get(id) };
}

/** Parses the candidate form's aliases field: one per line or separated by commas or semicolons. */
export function parseAliases(text: string): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const piece of text.split(/[\n,;]+/)) {
    const alias = piece.replace(/\s+/g, ' ').trim();
    if (!alias || seen.has(alias.toLowerCase())) continue;
    seen.add(alias.toLowerCase());
    result.push(alias);
  }
  return result;
}
