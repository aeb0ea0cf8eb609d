import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/features/finder/analysis';
import { attributionAfter, attributionBefore, reportedSpeech } from '../../src/features/finder/attribution';
import {
  CaptionError,
  captionsToText,
  formatMoment,
  parseCaptions,
} from '../../src/features/finder/captions';
import { detectKind, scoreSentence } from '../../src/features/finder/checkworthiness';
import { findQuotes } from '../../src/features/finder/quotes';
import { buildRoster, parseAliases, type RosterCandidate } from '../../src/features/finder/speakers';
import { paragraphs, sentences } from '../../src/features/finder/text';

const BUDI: RosterCandidate = {
  id: 1,
  name: 'Budi Santoso',
  running_mate: 'Rina Wulandari',
  aliases: ['Kang Budi', 'BS'],
  ballot_number: 1,
};
const SITI: RosterCandidate = {
  id: 2,
  name: 'Siti Aminah',
  running_mate: 'Joko Prasetyo',
  aliases: [],
  ballot_number: 2,
};
const roster = buildRoster([BUDI, SITI]);
const run = (text: string, moments?: { offset: number; seconds: number }[]) =>
  analyse({ text, roster, ...(moments ? { moments } : {}) });
const byQuote = (list: ReturnType<typeof run>, start: string) => list.find((s) => s.quote.startsWith(start));

describe('text and quotes', () => {
  it('splits sentences after . ! ? but not after abbreviations, initials or inside figures', () => {
    const [p] = paragraphs('Dr. Budi datang pukul 10.00. Anggaran Rp 1.500.000 cukup! M. Yamin setuju? Ya.');
    expect(sentences(p!).map((s) => s.text)).toEqual([
      'Dr. Budi datang pukul 10.00.',
      'Anggaran Rp 1.500.000 cukup!',
      'M. Yamin setuju?',
      'Ya.',
    ]);
  });

  it('finds quotes in straight, curly, single curly and guillemet marks, and leaves apostrophes alone', () => {
    const [p] = paragraphs(
      '"Satu dua tiga empat," kata A. “Lima enam tujuh delapan,” ujar B. ‘Jum’at kami bangun pasar,’ ucap C. «Sembilan sepuluh sebelas dua belas» tutur D.',
    );
    expect(findQuotes(p!).map((q) => q.inner.text)).toEqual([
      'Satu dua tiga empat,',
      'Lima enam tujuh delapan,',
      'Jum’at kami bangun pasar,',
      'Sembilan sepuluh sebelas dua belas',
    ]);
  });
});

describe('attribution', () => {
  it('reads the verbs of saying after a quote, bare with a name or with -nya', () => {
    expect(attributionAfter(' ujarnya.')).toEqual({ kind: 'pronoun' });
    expect(attributionAfter(', kata Budi Santoso, Senin (4/11).')).toMatchObject({
      kind: 'name',
      name: 'Budi Santoso',
    });
    expect(attributionAfter(' tegas calon wali kota Siti Aminah.')).toMatchObject({
      kind: 'name',
      name: 'Siti Aminah',
    });
    expect(attributionAfter(' said Budi Santoso.')).toMatchObject({ kind: 'name', name: 'Budi Santoso' });
    expect(attributionAfter(' Siti Aminah said.')).toMatchObject({ kind: 'name', name: 'Siti Aminah' });
    expect(attributionAfter(' lalu hadirin bertepuk tangan.')).toBeUndefined();
  });

  it('reads what comes before a quote: a verb with or without bahwa, menurut, or a transcript label', () => {
    expect(attributionBefore('Dalam debat itu, Budi Santoso mengatakan bahwa ')).toMatchObject({
      name: 'Budi Santoso',
    });
    expect(attributionBefore('Menurut Siti Aminah, ')).toMatchObject({ name: 'Siti Aminah' });
    expect(attributionBefore('Kang Budi: ')).toMatchObject({ name: 'Kang Budi' });
  });

  it('recognises reported speech, with menurut, a pronoun or a leading clause', () => {
    expect(
      reportedSpeech('Budi Santoso menjelaskan bahwa jalan kota sudah diperbaiki seluruhnya.'),
    ).toMatchObject({
      who: { kind: 'name', name: 'Budi Santoso' },
      content: 'jalan kota sudah diperbaiki seluruhnya.',
    });
    expect(reportedSpeech('Menurut Siti, angka kemiskinan turun dua persen.')?.who).toMatchObject({
      name: 'Siti',
    });
    expect(reportedSpeech('Ia menegaskan pasar induk akan dibangun tahun depan.')?.who).toEqual({
      kind: 'pronoun',
    });
    expect(reportedSpeech('Cuaca di Samarinda cerah sepanjang hari itu.')).toBeUndefined();
  });

  it('resolves names to tickets by full name, running mate, short name, alias and ballot number', () => {
    expect(roster.resolve('Budi Santoso')?.id).toBe(1);
    expect(roster.resolve('Rina Wulandari')?.id).toBe(1);
    expect(roster.resolve('Pak Santoso')?.id).toBe(1);
    expect(roster.resolve('kang budi')?.id).toBe(1);
    expect(roster.resolve('BS')?.id).toBe(1);
    expect(roster.resolve('Paslon 2')?.id).toBe(2);
    expect(roster.resolve('Joko')?.id).toBe(2);
    expect(roster.resolve('Ridwan Kamil')).toBeUndefined();
    // An alias in capitals is not the ordinary word written in lower case.
    expect(roster.mentionsIn('bs ini bukan nama')).toEqual([]);
    expect(parseAliases('Kang Budi, BS\nkang budi;  Pak  Budi ')).toEqual(['Kang Budi', 'BS', 'Pak Budi']);
  });
});

describe('kind and check-worthiness', () => {
  it('calls a sentence about what will be done a promise, anything else a statement', () => {
    expect(detectKind('Kami akan membangun 20 puskesmas.')).toBe('promise');
    expect(detectKind('Jika terpilih, sekolah gratis untuk semua.')).toBe('promise');
    expect(detectKind('Kami pastikan tidak ada pungutan liar.')).toBe('promise');
    expect(detectKind('We will build two bridges.')).toBe('promise');
    expect(detectKind('Dulu 40 OPD, sekarang 30 OPD.')).toBe('statement');
    expect(detectKind('Perbaikan drainase', true)).toBe('promise');
  });

  it('scores figures, comparisons and named agencies high and greetings, thanks and procedure low', () => {
    const high = scoreSentence(
      'Angka stunting turun dari 24 persen menjadi 18 persen sejak 2021 menurut BPS.',
    );
    const greeting = scoreSentence('Assalamualaikum, selamat malam hadirin yang saya hormati.');
    const thanks = scoreSentence('Terima kasih atas waktunya, moderator.');
    const opinion = scoreSentence('Saya kira warga kita orang baik semua.');
    expect(high.score).toBeGreaterThanOrEqual(90);
    expect(high.reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['figure', 'percentage', 'comparison', 'time_span', 'named_body']),
    );
    expect(greeting.score).toBe(0);
    expect(thanks.score).toBeLessThan(10);
    expect(opinion.score).toBeLessThan(high.score);
    expect(opinion.reasons.map((r) => r.code)).toContain('opinion');
  });
});

describe('suggestions from texts of our own', () => {
  it('an article with two candidates of one election and both kinds of quote marks', () => {
    const text = [
      'SAMARINDA – Dua pasangan calon beradu gagasan dalam debat, Senin malam.',
      '“Kami akan membangun 25 puskesmas baru dalam lima tahun,” kata Budi Santoso.',
      'Siti Aminah membantah. "Angka kemiskinan justru naik dari 4 persen menjadi 6 persen selama tiga tahun terakhir," ujarnya.',
      'Menurut Siti, anggaran banjir Rp 200 miliar tidak terserap.',
      '"Terima kasih, Bapak dan Ibu sekalian," tutur Budi.',
    ].join('\n\n');
    const found = run(text);
    const puskesmas = byQuote(found, 'Kami akan membangun 25 puskesmas');
    const poverty = byQuote(found, 'Angka kemiskinan justru naik');
    const budget = byQuote(found, 'Menurut Siti');
    const thanks = byQuote(found, 'Terima kasih');
    expect(puskesmas).toMatchObject({
      candidateId: 1,
      kind: 'promise',
      isParaphrase: false,
      origin: 'quote',
    });
    expect(poverty).toMatchObject({ candidateId: 2, kind: 'statement', speakerName: 'Siti Aminah' });
    expect(budget).toMatchObject({ candidateId: 2, isParaphrase: true, origin: 'reported' });
    expect(thanks).toMatchObject({ candidateId: 1 });
    // Sorted by score: the thanks come last.
    expect(found.at(-1)).toBe(thanks);
    expect(poverty!.score).toBeGreaterThan(thanks!.score);
  });

  it('an English article: said before and after, According to, a speaker not on the ballot', () => {
    const text = [
      '“We cut the waiting list for public housing from 3,000 families to 900 since 2021,” Siti Aminah said on Monday.',
      'According to Budi Santoso, the city will open 12 new markets if elected.',
      '“The river has never been cleaner,” said Ridwan Kamil, a former governor.',
    ].join('\n');
    const found = run(text);
    expect(byQuote(found, 'We cut the waiting list')).toMatchObject({ candidateId: 2, kind: 'statement' });
    expect(byQuote(found, 'According to Budi Santoso')).toMatchObject({
      candidateId: 1,
      kind: 'promise',
      isParaphrase: true,
    });
    expect(byQuote(found, 'The river has never')).toMatchObject({
      candidateId: null,
      speakerName: 'Ridwan Kamil',
    });
  });

  it('a debate transcript with speaker labels; the moderator asks and is not suggested', () => {
    const text = [
      'MODERATOR: Silakan paslon nomor urut 1 menjawab pertanyaan tentang banjir dalam dua menit.',
      'BUDI SANTOSO: Terima kasih. Kami akan menormalisasi 14 sungai dan membangun 3 kolam retensi pada 2026.',
      'SITI AMINAH: Selama lima tahun, genangan di Samarinda turun 60 persen. Itu kerja nyata.',
    ].join('\n');
    const found = run(text);
    expect(found.some((s) => s.quote.includes('Silakan'))).toBe(false);
    expect(byQuote(found, 'Kami akan menormalisasi')).toMatchObject({
      candidateId: 1,
      kind: 'promise',
      origin: 'speech',
    });
    expect(byQuote(found, 'Selama lima tahun')).toMatchObject({ candidateId: 2, kind: 'statement' });
  });

  it('captions with times: each suggestion carries the start of the cue it begins in', () => {
    const srt = [
      '1',
      '00:00:01,000 --> 00:00:03,500',
      '<v Budi Santoso>Selamat malam semuanya.',
      '',
      '2',
      '00:12:04,200 --> 00:12:07,000',
      '<v Budi Santoso>Kami akan membangun 40 sekolah',
      '',
      '3',
      '00:12:07,000 --> 00:12:09,000',
      'dasar baru di pinggiran kota.',
      '',
      '4',
      '01:02:03,000 --> 01:02:06,000',
      '<v Siti Aminah>Tahun lalu kami menaikkan anggaran pendidikan 20 persen.',
      '',
    ].join('\r\n');
    const { text, moments } = captionsToText(parseCaptions(srt));
    const found = run(text, moments);
    expect(byQuote(found, 'Kami akan membangun 40 sekolah dasar baru')).toMatchObject({
      moment: '00:12:04',
      candidateId: 1,
      kind: 'promise',
    });
    expect(byQuote(found, 'Tahun lalu kami menaikkan')).toMatchObject({ moment: '01:02:03', candidateId: 2 });
    expect(formatMoment(3723.9)).toBe('01:02:03');
  });

  it('WebVTT without hours, and broken times are refused with the line they are on', () => {
    const vtt =
      'WEBVTT\n\n00:05.000 --> 00:07.250\nSITI AMINAH: Kami akan menggratiskan 50 ribu seragam sekolah.\n';
    const { text, moments } = captionsToText(parseCaptions(vtt));
    expect(byQuote(run(text, moments), 'Kami akan menggratiskan')).toMatchObject({
      moment: '00:00:05',
      candidateId: 2,
    });
    const broken = '1\n00:00:01,000 --> 00:99:03,500\nHalo\n';
    expect(() => parseCaptions(broken)).toThrow(CaptionError);
    try {
      parseCaptions(broken);
    } catch (err) {
      expect((err as CaptionError).line).toBe(2);
    }
    expect(() => parseCaptions('1\n00:00:05,000 --> 00:00:01,000\nMundur\n')).toThrow(CaptionError);
  });

  it('a programme list: each item is a promise of the ticket named above it', () => {
    const text = [
      'Visi dan misi pasangan Siti Aminah – Joko Prasetyo',
      'Program prioritas:',
      '1. Membangun 10 pasar rakyat modern di setiap kecamatan.',
      '2) Menggratiskan biaya sekolah SMA swasta melalui APBD.',
      '• Pelayanan KTP selesai dalam satu hari.',
    ].join('\n');
    const found = run(text);
    const items = found.filter((s) => s.origin === 'programme_item');
    expect(items.map((s) => s.quote).sort()).toEqual([
      'Membangun 10 pasar rakyat modern di setiap kecamatan.',
      'Menggratiskan biaya sekolah SMA swasta melalui APBD.',
      'Pelayanan KTP selesai dalam satu hari.',
    ]);
    for (const item of items)
      expect(item).toMatchObject({ kind: 'promise', candidateId: 2, isParaphrase: false });
  });

  it('a text with no quotes at all: reported speech only, flagged as the reporter’s paraphrase', () => {
    const text =
      'Budi Santoso mengatakan jumlah wisatawan naik dua kali lipat sejak 2022. Cuaca cerah. Acara berlangsung tertib.';
    const found = run(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ isParaphrase: true, candidateId: 1, origin: 'reported' });
    expect(run('Cuaca cerah sepanjang hari. Acara berlangsung tertib dan lancar.')).toEqual([]);
  });
});
