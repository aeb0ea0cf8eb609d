/**
 * The finder's part of the benchmark (`npm run bench -- --only finder`): a 20,000-word debate transcript
 * analysed against the dataset (duplicates included), in this process through the finder's own service
 * on the app's database settings, and the similar-claim lookup on its own (one text per query), p50/p99.
 */
import { createDb } from '../src/db';
import { auditRepository } from '../src/features/audit/audit.repository';
import { claimEditingService } from '../src/features/claim-editing/claim-editing.service';
import { newsroomClaimsRepository } from '../src/features/claim-editing/newsroom-claims.repository';
import { referenceRepository } from '../src/features/election-editing/reference.repository';
import { evidenceRepository } from '../src/features/evidence/evidence.repository';
import { finderRepository } from '../src/features/finder/finder.repository';
import { finderService } from '../src/features/finder/finder.service';
import { countWords } from '../src/features/finder/text';
import { statusUpdatesRepository } from '../src/features/status-updates/status-updates.repository';
import { percentile } from './machine';
import { firstContest } from './routes';

export interface FinderBenchResult {
  words: number;
  /** Suggestions the rules found, before the list was cut to the best MAX_SUGGESTIONS. */
  found: number;
  suggestions: number;
  withDuplicates: number;
  lookupTexts: number;
  /** Whole analyses of the transcript, milliseconds. */
  analysisMs: number[];
  lookup: { count: number; p50: number; p99: number; max: number };
}

const FILLER = [
  'Terima kasih kepada moderator dan para panelis yang kami hormati.',
  'Saya kira warga kota ini sudah tahu siapa yang bekerja dan siapa yang hanya bicara.',
  'Baik, saya akan menjawab pertanyaan itu dengan singkat.',
  'Kita semua ingin kota yang lebih baik untuk anak cucu kita.',
  'Semoga debat malam ini memberi pencerahan bagi masyarakat.',
  'Izinkan saya menanggapi apa yang disampaikan pasangan calon tadi.',
];
const FRESH = [
  'Kami akan membuka %n lapangan kerja baru di kawasan industri dalam lima tahun.',
  'Angka putus sekolah turun dari %n persen menjadi %m persen sejak 2021.',
  'Anggaran perbaikan jalan naik menjadi Rp %n miliar tahun ini.',
  'Jika terpilih, kami menargetkan %n ribu rumah tidak layak huni diperbaiki.',
  'Dinas Kesehatan mencatat %n kasus demam berdarah, terendah dalam sepuluh tahun.',
];

/** A debate transcript of about `words` words between two tickets of one election of the dataset. */
function transcript(names: string[], quotes: string[], words: number): string {
  const lines: string[] = ['MODERATOR: Selamat malam, kita mulai segmen pertama debat publik.'];
  let count = 0;
  let turn = 0;
  let q = 0;
  while (count < words) {
    const speaker = names[turn % names.length]!.toUpperCase();
    const sentences: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const pick = (turn * 7 + i * 3) % 10;
      // About a third of what is said was said before (a quote of the dataset), the rest is new or talk.
      const sentence =
        pick < 3 && quotes.length > 0
          ? quotes[q++ % quotes.length]!
          : pick < 6
            ? FRESH[(turn + i) % FRESH.length]!.replace('%n', String(10 + ((turn * 13 + i) % 90))).replace(
                '%m',
                String(2 + ((turn + i) % 8)),
              )
            : FILLER[(turn + i) % FILLER.length]!;
      sentences.push(sentence);
    }
    const line = `${speaker}: ${sentences.join(' ')}`;
    lines.push(line);
    if (turn % 5 === 4) lines.push('MODERATOR: Waktu habis, silakan pasangan berikutnya menanggapi.');
    count = countWords(lines.join('\n'));
    turn += 1;
  }
  // Trim to the word limit, at a line.
  while (countWords(lines.join('\n')) > words) lines.pop();
  return lines.join('\n');
}

export async function runFinderBench(
  databaseUrl: string,
  options: { runs: number; lookups: number; log: (line: string) => void },
): Promise<FinderBenchResult> {
  // The app's own settings (pool, statement timeout), as the server would use them.
  const db = createDb({ databaseUrl, poolMax: 10, applicationName: 'kawal-janji-bench-finder' });
  try {
    const contest = await firstContest(db);
    const election = { election_id: contest.electionId };
    const names = contest.candidates.map((c) => c.name);
    const quotes: string[] = await db('claims')
      .where({ election_id: election.election_id })
      .orderByRaw('md5(slug)')
      .limit(300)
      .pluck('quote');
    const text = transcript(names, quotes, 20_000);
    const words = countWords(text);

    const finder = finderRepository(db);
    const reference = referenceRepository(db);
    const claimEditing = claimEditingService({
      db,
      claims: newsroomClaimsRepository(db),
      reference,
      evidence: evidenceRepository(db),
      statusUpdates: statusUpdatesRepository(db),
      audit: auditRepository(db),
    });
    const service = finderService({ finder, reference, claimEditing });

    options.log(`transcript of ${words} words between ${names.join(' and ')}`);
    const analysisMs: number[] = [];
    let last: Awaited<ReturnType<typeof service.analyse>> | undefined;
    // One unmeasured run first: the first query of a connection plans and reads cold pages.
    await service.analyse({ election_id: String(election.election_id), text });
    for (let run = 0; run < options.runs; run += 1) {
      const started = performance.now();
      last = await service.analyse({ election_id: String(election.election_id), text });
      analysisMs.push(performance.now() - started);
    }
    const suggestions = last?.suggestions ?? [];
    const keys = [...new Set(suggestions.flatMap((s) => s.lookupKeys))];
    options.log(
      `${last?.totalFound ?? 0} found, the best ${suggestions.length} kept and ${keys.length} texts looked up per analysis`,
    );

    // The lookup on its own: one text per query, as the claim form asks while a reporter types.
    const samples = [...keys, ...quotes.map((quote) => quote.slice(0, 60))].slice(0, options.lookups);
    const times: number[] = [];
    for (const sample of samples) {
      const started = performance.now();
      await finder.similarTo([sample], { electionId: election.election_id });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      words,
      found: last?.totalFound ?? 0,
      suggestions: suggestions.length,
      withDuplicates: suggestions.filter((s) => s.duplicates.length > 0).length,
      lookupTexts: keys.length,
      analysisMs,
      lookup: {
        count: times.length,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        max: times.at(-1) ?? 0,
      },
    };
  } finally {
    await db.destroy();
  }
}
