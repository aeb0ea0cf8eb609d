// What kind of claim a sentence is, and how worth checking, by rules a reporter can read: each rule that
// applies adds or takes points and says why (the reasons are message keys, translated on the page).

import type { ClaimKind } from '../claims/scales';

export type ReasonCode =
  | 'figure'
  | 'percentage'
  | 'money'
  | 'comparison'
  | 'time_span'
  | 'superlative'
  | 'named_body'
  | 'promise'
  | 'programme_item'
  | 'greeting'
  | 'thanks'
  | 'opinion'
  | 'procedure'
  | 'question'
  | 'too_short';

export interface Reason {
  code: ReasonCode;
  points: number;
}

const PROMISE =
  /(?<![\p{L}])(?:akan|bakal|berjanji|menjanjikan|janji(?:\s+kami|\s+saya)?|menargetkan|target(?:kan)?|kami pastikan|saya pastikan|memastikan|jika terpilih|kalau terpilih|apabila terpilih|bila terpilih|siap (?:membangun|memberikan|menyediakan|menggratiskan|melanjutkan)|ke depan(?:nya)?|will|shall|promised?|pledged?|if elected|going to|we'll|i'll|commit(?:ted)? to)(?![\p{L}])/iu;

/** Promise when it speaks of what will be done; a programme item is a promise by nature. */
export function detectKind(text: string, isProgrammeItem = false): ClaimKind {
  return isProgrammeItem || PROMISE.test(text) ? 'promise' : 'statement';
}

interface Rule {
  code: ReasonCode;
  points: number;
  test: { test(text: string): boolean };
}

const either = (...patterns: RegExp[]) => ({ test: (text: string) => patterns.some((p) => p.test(text)) });

const W = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const rx = (body: string) => new RegExp(`${W}(?:${body})${E}`, 'iu');

const RULES: Rule[] = [
  { code: 'figure', points: 20, test: /\p{N}/u },
  { code: 'percentage', points: 15, test: /\p{N}\s*%|\bpersen\b|\bpercent\b|\bprosen\b/iu },
  {
    code: 'money',
    points: 15,
    test: rx(
      'rp\\.?\\s*\\p{N}[\\p{N}.,]*|rupiah|miliar|milyar|triliun|juta|ribu|us\\$|\\$\\s*\\p{N}+|dollars?|billion|million|anggaran|budget|apbd|apbn',
    ),
  },
  {
    code: 'comparison',
    points: 20,
    test: rx(
      'dari\\s+[^.]{1,40}?\\s+(?:menjadi|jadi|ke)|dulu[^.]{1,60}?sekarang|naik|turun|meningkat|menurun|bertambah|berkurang|dibanding(?:kan)?|lebih (?:banyak|sedikit|tinggi|rendah|besar|kecil|murah|mahal)|from\\s+[^.]{1,40}?\\s+to|increased?|decreased?|rose|fell|doubled|halved|compared',
    ),
  },
  {
    code: 'time_span',
    points: 10,
    test: rx(
      '(?:19|20)\\p{N}{2}|tahun|bulan|pekan|minggu|hari pertama|periode|selama|sejak|dalam\\s+\\p{N}+|years?|months?|weeks?|since|during|within',
    ),
  },
  {
    code: 'superlative',
    points: 15,
    test: rx(
      'ter(?:besar|tinggi|rendah|banyak|baik|cepat|luas|murah|mahal|kecil|buruk|maju|bersih|aman)|paling|pertama (?:kali|di)|satu-satunya|nomor satu|the (?:first|only)|largest|biggest|highest|lowest|best|worst|fastest|most|record',
    ),
  },
  {
    code: 'named_body',
    points: 15,
    test: either(
      rx(
        'program\\s+\\p{L}+|kartu\\s+\\p{L}+|undang-undang|uu|perda|perwali|perbup|pergub|perpres|permen|kementerian|dinas\\s+\\p{L}+|badan\\s+\\p{L}+|pemkot|pemkab|pemprov|pemrov|dprd|bumd|bpjs|kpk|bpk|bps|ministry|agency|department|act of',
      ),
      // An acronym written in capitals (OPD, ASN, KKN, APBD): agencies, programmes and laws.
      /(?<![\p{L}\p{N}])\p{Lu}{2,6}(?:-\p{Lu}+)?(?![\p{L}\p{N}])/u,
    ),
  },
];

const NEGATIVE: Rule[] = [
  {
    code: 'greeting',
    points: -40,
    test: rx(
      "assalamu'?alaikum|assalamualaikum|wassalamualaikum|selamat (?:pagi|siang|sore|malam)|salam sejahtera|om swastiastu|namo buddhaya|shalom|salam kebajikan|yang (?:kami |saya )?(?:terhormat|saya hormati|kami hormati|kami banggakan)|hadirin|good (?:morning|afternoon|evening)|ladies and gentlemen",
    ),
  },
  { code: 'thanks', points: -30, test: rx('terima\\s*kasih|makasih|thank(?:s| you)') },
  {
    code: 'opinion',
    points: -15,
    test: rx(
      'saya kira|saya rasa|saya pikir|saya yakin|menurut saya|menurut kami|semoga|mudah-mudahan|insya ?allah|insyaallah|i think|i believe|i feel|hopefully|in my opinion',
    ),
  },
  {
    code: 'procedure',
    points: -25,
    test: rx(
      'moderator|silakan|silahkan|dipersilakan|waktu (?:anda|bapak|ibu|habis|tersisa)|segmen|sesi|pertanyaan (?:berikut|selanjutnya)|jeda|kembali ke|next question|your time',
    ),
  },
];

/** The check-worthiness score (0 to 100) with the rules that made it, strongest first. */
export function scoreSentence(text: string, isProgrammeItem = false): { score: number; reasons: Reason[] } {
  const reasons: Reason[] = [];
  for (const rule of [...RULES, ...NEGATIVE]) if (rule.test.test(text)) reasons.push(rule);
  if (detectKind(text, isProgrammeItem) === 'promise') {
    reasons.push(isProgrammeItem ? { code: 'programme_item', points: 10 } : { code: 'promise', points: 10 });
  }
  if (/\?\s*["”’»]?\s*$/.test(text)) reasons.push({ code: 'question', points: -20 });
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (words < 5) reasons.push({ code: 'too_short', points: -20 });
  const total = 30 + reasons.reduce((sum, r) => sum + r.points, 0);
  return {
    score: Math.max(0, Math.min(100, total)),
    reasons: reasons
      .map(({ code, points }) => ({ code, points }))
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points)),
  };
}
