import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrateLatest } from '../src/db';
import { PROMISE_STATUSES, STATEMENT_STATUSES } from '../src/features/claims/scales';
import { renderMarkdown } from '../src/lib/markdown';
import { migrationSource } from '../src/lib/migration-source';

/**
 * The synthetic dataset of the benchmark: obviously fictional elections ("Pilkada Kota Fiktif 17"),
 * candidates ("Calon Contoh 342") and claims with Indonesian-sounding quotes, built with set-based SQL
 * (INSERT … SELECT FROM generate_series) so that 100,000 claims take seconds, not minutes.
 */

/** Bumped whenever the generated data changes shape, so that a stale benchmark database is rebuilt. */
const GENERATOR_VERSION = 2;

export const EVIDENCE_PER_CLAIM = 3;
export const STATUS_UPDATES_PER_CLAIM = 4;

export interface DatasetSize {
  claims: number;
  elections: number;
  candidates: number;
  evidence: number;
  statusUpdates: number;
}

/** The default is 100,000 claims over 50 elections and 500 candidates; other sizes scale with it. */
export function datasetSize(claims: number): DatasetSize {
  if (!Number.isInteger(claims) || claims < 20) throw new Error('the dataset needs at least 20 claims');
  const scale = claims / 100_000;
  const elections = Math.max(1, Math.round(50 * scale));
  const candidates = Math.max(2 * elections, Math.round(500 * scale));
  return {
    claims,
    elections,
    candidates,
    evidence: EVIDENCE_PER_CLAIM * claims,
    statusUpdates: STATUS_UPDATES_PER_CLAIM * claims,
  };
}

// Each theme gives a claim its topic, title and quote, for a promise and for a statement. The `%s`
// are filled with a number and the fictional city. Words such as "banjir", "sekolah" or "puskesmas"
// appear only in their own theme, so a search finds a realistic share of the claims.
const THEMES: {
  topic: [slug: string, name: string];
  promiseTitle: string;
  promiseQuote: string;
  statementTitle: string;
  statementQuote: string;
}[] = [
  {
    topic: ['kesehatan', 'Kesehatan'],
    promiseTitle: 'Membangun %s puskesmas pembantu baru di %s',
    promiseQuote:
      'Kalau kami dipercaya, kami akan membangun %s puskesmas pembantu baru supaya warga %s tidak perlu jauh-jauh berobat dan antrean di rumah sakit berkurang.',
    statementTitle: 'Cakupan imunisasi dasar naik %s persen di %s',
    statementQuote:
      'Cakupan imunisasi dasar anak naik %s persen selama kami memimpin %s, dan semua puskesmas sekarang buka sampai malam.',
  },
  {
    topic: ['banjir-dan-drainase', 'Banjir dan drainase'],
    promiseTitle: 'Menormalisasi %s sungai dan saluran untuk mengatasi banjir di %s',
    promiseQuote:
      'Banjir adalah musuh kita bersama. Kami akan menormalisasi %s sungai dan saluran drainase sehingga %s bebas dari genangan setiap musim hujan.',
    statementTitle: 'Titik banjir berkurang %s persen di %s',
    statementQuote:
      'Titik banjir di %2$s sudah berkurang %1$s persen karena drainase kami perbaiki dan kolam retensi kami bangun di hulu.',
  },
  {
    topic: ['pendidikan', 'Pendidikan'],
    promiseTitle: 'Membangun %s sekolah dasar negeri baru di %s',
    promiseQuote:
      'Setiap anak berhak bersekolah dekat rumah. Kami akan membangun %s sekolah dasar negeri baru dan merenovasi ruang kelas yang rusak di seluruh %s.',
    statementTitle: 'Angka putus sekolah turun %s persen di %s',
    statementQuote:
      'Angka putus sekolah turun %s persen di %s berkat beasiswa dan seragam gratis yang kami bagikan setiap tahun ajaran baru.',
  },
  {
    topic: ['infrastruktur-jalan', 'Infrastruktur jalan'],
    promiseTitle: 'Memperbaiki %s kilometer jalan lingkungan di %s',
    promiseQuote:
      'Jalan rusak kami perbaiki semua. Target kami %s kilometer jalan lingkungan diaspal ulang, dari gang kecil sampai jalan utama %s.',
    statementTitle: 'Sebanyak %s kilometer jalan sudah diaspal di %s',
    statementQuote:
      'Sudah %s kilometer jalan kami aspal di %s, lebih banyak dari dua periode sebelumnya digabung.',
  },
  {
    topic: ['ekonomi-dan-umkm', 'Ekonomi dan UMKM'],
    promiseTitle: 'Menyalurkan modal usaha kepada %s ribu pelaku UMKM di %s',
    promiseQuote:
      'Pelaku UMKM adalah tulang punggung ekonomi. Kami akan menyalurkan modal usaha tanpa bunga kepada %s ribu pelaku usaha kecil di %s.',
    statementTitle: 'Pertumbuhan ekonomi mencapai %s persen di %s',
    statementQuote:
      'Ekonomi %2$s tumbuh %1$s persen, tertinggi di provinsi ini, karena pasar dan UMKM kami dorong naik kelas.',
  },
  {
    topic: ['transportasi', 'Transportasi'],
    promiseTitle: 'Menambah %s armada angkutan umum gratis di %s',
    promiseQuote:
      'Kami akan menambah %s armada bus dan angkutan kota gratis untuk pelajar dan lansia, supaya kemacetan di %s berkurang.',
    statementTitle: 'Penumpang angkutan umum naik %s persen di %s',
    statementQuote:
      'Penumpang angkutan umum naik %s persen sejak rute baru kami buka di %s, dan tarif pelajar tetap gratis.',
  },
  {
    topic: ['air-bersih', 'Air bersih'],
    promiseTitle: 'Menyalurkan air bersih ke %s ribu rumah tangga di %s',
    promiseQuote:
      'Air bersih harus mengalir ke setiap rumah. Kami akan menyambungkan pipa PDAM ke %s ribu rumah tangga di %s dalam tiga tahun pertama.',
    statementTitle: 'Sambungan air bersih bertambah %s ribu rumah di %s',
    statementQuote:
      'Sambungan air bersih bertambah %s ribu rumah di %s, dan keluhan air keruh hampir tidak ada lagi.',
  },
  {
    topic: ['pasar-tradisional', 'Pasar tradisional'],
    promiseTitle: 'Merevitalisasi %s pasar tradisional di %s',
    promiseQuote:
      'Pasar tradisional harus bersih dan nyaman. Kami akan merevitalisasi %s pasar supaya pedagang di %s bisa bersaing dengan toko modern.',
    statementTitle: 'Sebanyak %s pasar tradisional selesai direvitalisasi di %s',
    statementQuote:
      'Sudah %s pasar tradisional selesai kami revitalisasi di %s, semuanya dengan los baru dan saluran air yang layak.',
  },
  {
    topic: ['lingkungan-hidup', 'Lingkungan hidup'],
    promiseTitle: 'Menanam %s ribu pohon dan menambah ruang terbuka hijau di %s',
    promiseQuote:
      'Kota ini butuh napas. Kami akan menanam %s ribu pohon dan menambah taman serta ruang terbuka hijau di setiap kecamatan di %s.',
    statementTitle: 'Sampah yang didaur ulang naik %s persen di %s',
    statementQuote:
      'Sampah yang didaur ulang naik %s persen di %s sejak bank sampah kami bentuk di setiap kelurahan.',
  },
  {
    topic: ['pelayanan-publik', 'Pelayanan publik'],
    promiseTitle: 'Memangkas waktu perizinan usaha menjadi %s hari di %s',
    promiseQuote:
      'Tidak ada lagi perizinan yang berbelit. Izin usaha di %2$s akan selesai paling lama %1$s hari, semuanya lewat aplikasi dan tanpa pungutan liar.',
    statementTitle: 'Waktu pengurusan KTP kini %s hari di %s',
    statementQuote: 'Mengurus KTP elektronik di %2$s sekarang cukup %1$s hari, dulu bisa berbulan-bulan.',
  },
  {
    topic: ['perumahan', 'Perumahan'],
    promiseTitle: 'Menyediakan %s unit rumah layak huni bagi warga miskin di %s',
    promiseQuote:
      'Kami akan membedah %s unit rumah tidak layak huni dan menyediakan rumah susun sewa murah bagi keluarga miskin di %s.',
    statementTitle: 'Sebanyak %s unit rumah tidak layak huni sudah diperbaiki di %s',
    statementQuote:
      'Sebanyak %s unit rumah tidak layak huni sudah kami bedah di %s, dan warganya kini tinggal dengan aman.',
  },
  {
    topic: ['tata-kelola', 'Tata kelola pemerintahan'],
    promiseTitle: 'Memangkas jumlah OPD menjadi %s dinas di %s',
    promiseQuote:
      'Birokrasi harus ramping. Kami akan memangkas jumlah perangkat daerah menjadi %s dinas dan menerapkan sistem merit untuk semua jabatan di %s.',
    statementTitle: 'Opini WTP diraih %s kali berturut-turut oleh %s',
    statementQuote:
      'Laporan keuangan %2$s sudah %1$s kali berturut-turut mendapat opini wajar tanpa pengecualian dari BPK.',
  },
];

const OPENERS = [
  '',
  'Bapak ibu warga yang saya hormati. ',
  'Saya tegaskan di sini. ',
  'Ini bukan janji kosong. ',
  'Terima kasih kepada panelis. ',
  'Begini, saudara-saudara sekalian. ',
];
const CLOSERS = [
  '',
  ' Itu komitmen kami.',
  ' Datanya ada, silakan dicek.',
  ' Anggarannya sudah kami hitung.',
  ' Insyaallah bisa kita wujudkan bersama.',
];
const PUBLISHERS = ['Harian Contoh', 'Warta Fiktif', 'Kabar Rekaan', 'Suara Khayalan', 'Berita Tiruan'];

const PROMISE_SUMMARIES: Record<string, string> = {
  not_rated: 'Janji ini sudah dicatat dan belum dinilai.',
  in_progress: 'Pekerjaan sudah dimulai tetapi belum selesai.',
  stalled: 'Tidak ada kemajuan berarti sejak anggaran pertama.',
  compromise: 'Sebagian janji ditepati, dengan target yang lebih kecil.',
  kept: 'Janji ditepati sesuai target dan tenggat.',
  broken: 'Tenggat lewat dan target tidak tercapai.',
};
const STATEMENT_SUMMARIES: Record<string, string> = {
  unverified: 'Pernyataan ini sudah dicatat dan belum diverifikasi.',
  true: 'Angka ini sesuai dengan data resmi.',
  mostly_true: 'Angkanya mendekati data resmi, dengan sedikit pembulatan.',
  half_true: 'Sebagian benar, tetapi penting konteksnya dihilangkan.',
  misleading: 'Angkanya benar tetapi disajikan secara menyesatkan.',
  false: 'Data resmi menunjukkan hal yang berbeda.',
  unproven: 'Tidak ada data yang bisa memastikan pernyataan ini.',
};

const EXPLANATION = `Tim cek fakta membandingkan pernyataan ini dengan dokumen anggaran, laporan realisasi program dan data statistik resmi %1$s. Semua nama, angka dan dokumen di halaman ini fiktif: data ini dibuat untuk uji beban.

Kami menghubungi juru bicara tim kampanye pada %2$s dan meminta sumber angka yang disebutkan. Jawaban mereka kami cantumkan apa adanya, lalu kami cocokkan dengan tiga sumber yang bisa diperiksa pembaca:

- dokumen APBD dan APBD perubahan %1$s;
- laporan realisasi program dari dinas terkait;
- wawancara dengan warga dan pengurus RT di tiga kelurahan.

Penilaian ini bisa berubah bila ada data baru. Baca [cara kami menilai](/about) untuk penjelasan skala yang kami pakai.`;

const STATUS_NOTES = [
  'Dinas terkait mengonfirmasi anggaran sudah dialokasikan.',
  'Laporan realisasi terbaru menunjukkan perubahan.',
  'Data resmi yang baru terbit kami periksa ulang.',
  'Warga di lokasi memberi keterangan yang berbeda.',
];

// An obviously unusable argon2id hash: the benchmark's newsroom accounts are inactive and never sign in.
const UNUSABLE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJr$dGlkYWstZGFwYXQtbWFzdWs';

/** How many connections share the bulk inserts and index builds (these machines have two cores). */
const PARTS = 2;

type Bindings = readonly Knex.RawBinding[];

/** One statement in a transaction of its own, without the app's 10 s statement timeout. */
async function run(db: Knex, sql: string, bindings: Bindings = []) {
  return db.transaction(async (trx) => {
    await trx.raw('SET LOCAL statement_timeout = 0');
    await trx.raw('SET LOCAL synchronous_commit = off');
    await trx.raw("SET LOCAL maintenance_work_mem = '128MB'");
    return trx.raw(sql, bindings);
  });
}

/** The same statement once per part (its number in place of `__PART__`), on PARTS connections at once. */
async function inParts(db: Knex, sql: string, bindings: Bindings = []) {
  await Promise.all(
    Array.from({ length: PARTS }, (_, part) => run(db, sql.replaceAll('__PART__', String(part)), bindings)),
  );
}

/**
 * Fills an empty, migrated database with the synthetic dataset. The way pg_restore loads data: the
 * secondary indexes and foreign keys of the big tables are dropped, the rows inserted (in two halves
 * at once), then both are made again from their own definitions, read from the catalog, so whatever
 * the migrations define is what comes back. Building an index once and checking a foreign key with one
 * join is many times faster than maintaining them row by row, and the constraints are still checked
 * in full. Not one transaction: a failed run leaves a database without its marker, which the next run
 * rebuilds.
 */
export async function generateDataset(
  db: Knex,
  claims: number,
  log: (step: string) => void = () => {},
): Promise<DatasetSize> {
  const size = datasetSize(claims);
  const existing = await db('elections').count<{ count: number }[]>({ count: '*' }).first();
  if (Number(existing?.count ?? 0) > 0) throw new Error('the benchmark dataset needs an empty database');
  await insertPeopleAndPlaces(db, size);
  await planClaims(db, size);
  const dropped = await dropSecondaryIndexes(db, BULK_TABLES);
  await insertClaims(db);
  log('claims inserted');
  await insertEvidenceAndHistory(db);
  log('evidence and history inserted');
  await restoreSecondaryIndexes(db, dropped);
  await db.raw('DROP TABLE bench_plan');
  log('indexes and foreign keys rebuilt');
  return size;
}

const BULK_TABLES = [
  'claims',
  'claim_topics',
  'evidence',
  'status_updates',
  'status_update_evidence',
  'status_reviews',
];

interface DroppedDefinitions {
  foreignKeys: { table: string; name: string; def: string }[];
  indexes: { name: string; def: string }[];
}

async function dropSecondaryIndexes(db: Knex, tables: string[]): Promise<DroppedDefinitions> {
  return db.transaction(async (trx) => {
    const { rows: foreignKeys } = await trx.raw<{ rows: DroppedDefinitions['foreignKeys'] }>(
      `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND t.relname = ANY(?::text[]) AND t.relnamespace = 'public'::regnamespace
        ORDER BY c.oid`,
      [tables],
    );
    const { rows: indexes } = await trx.raw<{ rows: DroppedDefinitions['indexes'] }>(
      `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE t.relname = ANY(?::text[]) AND t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY ic.oid`,
      [tables],
    );
    for (const fk of foreignKeys) await trx.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [fk.table, fk.name]);
    for (const index of indexes) await trx.raw('DROP INDEX ??', [index.name]);
    return { foreignKeys, indexes };
  });
}

async function restoreSecondaryIndexes(db: Knex, dropped: DroppedDefinitions) {
  // The biggest build first, the rest shared among the connections as they come free.
  const queue = [...dropped.indexes].sort(
    (a, b) => Number(b.def.includes('gin')) - Number(a.def.includes('gin')),
  );
  await Promise.all(
    Array.from({ length: PARTS }, async () => {
      for (let index = queue.shift(); index; index = queue.shift()) await run(db, index.def);
    }),
  );
  for (const fk of dropped.foreignKeys) {
    await run(db, `ALTER TABLE ?? ADD CONSTRAINT ?? ${fk.def}`, [fk.table, fk.name]);
  }
}

async function insertPeopleAndPlaces(db: Knex, size: DatasetSize) {
  await db('users').insert([
    {
      email: 'reporter@bench.contoh.example',
      display_name: 'Reporter Contoh',
      role: 'reporter',
      password_hash: UNUSABLE_HASH,
      active: false,
    },
    {
      email: 'editor@bench.contoh.example',
      display_name: 'Editor Contoh',
      role: 'editor',
      password_hash: UNUSABLE_HASH,
      active: false,
    },
  ]);
  // Three election years, so that scoreboards and filters see past and current terms.
  await run(
    db,
    `INSERT INTO elections (slug, name, office, region, voting_day, term_start, term_end, description,
                            created_at, updated_at)
     SELECT 'pilkada-kota-fiktif-' || e || '-' || y, 'Pilkada Kota Fiktif ' || e || ' ' || y,
            'Wali Kota Fiktif ' || e, 'Kota Fiktif ' || e,
            make_date(y, 11, 27), make_date(y + 1, 2, 20), make_date(y + 6, 2, 20),
            'Pemilihan rekaan untuk uji beban: semua nama, angka dan kutipan di sini fiktif.',
            make_date(y, 6, 1)::timestamptz, make_date(y, 6, 1)::timestamptz
       FROM generate_series(1, ?::int) AS e, LATERAL (SELECT 2024 - ((e - 1) % 3) * 5 AS y) AS years
      ORDER BY e`,
    [size.elections],
  );
  await run(
    db,
    `INSERT INTO candidates (election_id, slug, name, running_mate, party, is_incumbent, ballot_number, bio)
     SELECT e.id, 'calon-contoh-' || j, 'Calon Contoh ' || j, 'Wakil Contoh ' || j,
            'Koalisi Contoh ' || (1 + j % 7), (j - 1) / ?::int = 0 AND e.rn % 2 = 0, (j - 1) / ?::int + 1,
            'Tokoh rekaan untuk uji beban.'
       FROM generate_series(1, ?::int) AS j
       JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM elections) AS e
         ON e.rn = (j - 1) % ?::int
      ORDER BY j`,
    [size.elections, size.elections, size.candidates, size.elections],
  );
  await db('topics').insert(THEMES.map(({ topic: [slug, name] }) => ({ slug, name })));
}

/**
 * One row per claim to make (in a work table, dropped at the end), with every choice drawn from an md5
 * of its number, so the dataset is the same every time; and how many status updates it gets: the
 * 4 × claims updates are shared among the rated claims, since a claim still at its initial status
 * ("not_rated", "unverified") has no history.
 */
async function planClaims(db: Knex, size: DatasetSize) {
  await run(
    db,
    `CREATE UNLOGGED TABLE bench_plan AS
     WITH cands AS (
       SELECT k.id, k.election_id, e.region, e.voting_day, e.term_end,
              row_number() OVER (ORDER BY k.id) - 1 AS rn
         FROM candidates k JOIN elections e ON e.id = k.election_id
     ), draws AS (
       SELECT g, ('x' || substr(md5(g::text), 1, 8))::bit(32)::bigint AS h,
                 ('x' || substr(md5(g::text), 9, 8))::bit(32)::bigint AS h2
         FROM generate_series(1, ?::int) AS g
     ), picked AS (
       SELECT d.g, d.h, d.h2, c.id AS candidate_id, c.election_id, c.region, c.voting_day, c.term_end,
              CASE WHEN d.h % 2 = 0 THEN 'promise' ELSE 'statement' END AS kind,
              ((d.h / 2) % ?::int)::int AS theme,
              CASE WHEN d.h % 2 = 0 THEN (?::text[])[1 + (d.h / 64) % 6]
                   ELSE (?::text[])[1 + (d.h / 64) % 7] END AS status
         FROM draws d JOIN cands c ON c.rn = (d.g - 1) % ?::int
     ), ranked AS (
       SELECT p.*, status NOT IN ('not_rated', 'unverified') AS rated,
              row_number() OVER (PARTITION BY status NOT IN ('not_rated', 'unverified') ORDER BY g) - 1
                AS rated_rn,
              count(*) FILTER (WHERE status NOT IN ('not_rated', 'unverified')) OVER () AS rated_count
         FROM picked p
     )
     SELECT r.*,
            (CASE WHEN r.rated THEN ?::int / r.rated_count
                    + CASE WHEN r.rated_rn < ?::int % r.rated_count THEN 1 ELSE 0 END
                  ELSE 0 END)::int AS updates,
            r.voting_day - ((r.h2 % 150)::int) AS said_on,
            NULL::timestamptz AS published_at, NULL::text AS slug, NULL::int AS claim_id
       FROM ranked r`,
    [
      size.claims,
      THEMES.length,
      [...PROMISE_STATUSES],
      [...STATEMENT_STATUSES],
      size.candidates,
      size.statusUpdates,
      size.statusUpdates,
    ],
  );
  await run(
    db,
    `UPDATE bench_plan SET
       published_at = (said_on + 1)::timestamptz + make_interval(secs => (h2 / 7) % 86400),
       slug = (?::text[])[theme + 1] || CASE WHEN kind = 'promise' THEN '-janji-' ELSE '-pernyataan-' END || g`,
    [THEMES.map(({ topic: [slug] }) => slug)],
  );
}

const REPORTER = "(SELECT id FROM users WHERE email = 'reporter@bench.contoh.example')";
const EDITOR = "(SELECT id FROM users WHERE email = 'editor@bench.contoh.example')";

async function insertClaims(db: Knex) {
  await inParts(
    db,
    `INSERT INTO claims (slug, election_id, candidate_id, kind, title, quote, quote_is_paraphrase, said_on,
                         source_publisher, source_title, source_url, status, summary, explanation,
                         explanation_html, deadline, workflow_state, published_at, created_by, version, created_at, updated_at)
     SELECT p.slug, p.election_id, p.candidate_id, p.kind,
            format(CASE WHEN p.kind = 'promise' THEN (?::text[])[p.theme + 1] ELSE (?::text[])[p.theme + 1] END,
                   5 + p.h2 % 95, p.region),
            (?::text[])[1 + p.h2 % 6]
              || format(CASE WHEN p.kind = 'promise' THEN (?::text[])[p.theme + 1]
                             ELSE (?::text[])[p.theme + 1] END, 5 + p.h2 % 95, p.region)
              || (?::text[])[1 + (p.h2 / 8) % 5],
            p.h % 11 = 0, p.said_on,
            (?::text[])[1 + (p.h / 32768) % 5],
            'Calon Contoh bicara soal ' || lower((?::text[])[p.theme + 1]),
            'https://berita.contoh.example/' || extract(year FROM p.said_on) || '/' || p.slug,
            p.status,
            CASE WHEN p.kind = 'promise' THEN (?::jsonb) ->> p.status ELSE (?::jsonb) ->> p.status END,
            format(?::text, p.region, to_char(p.said_on + 2, 'DD-MM-YYYY')),
            -- The HTML the app stores beside an explanation it saves: rendered once with the blanks in
            -- place (the region's name and a date are plain text in Markdown and in HTML alike).
            format(?::text, p.region, to_char(p.said_on + 2, 'DD-MM-YYYY')),
            CASE WHEN p.kind = 'promise' THEN p.term_end - ((p.h2 % 700)::int) END,
            'published', p.published_at, ${REPORTER}, 1 + p.updates,
            p.published_at - interval '4 hours',
            p.published_at + p.updates * interval '11 days'
       FROM bench_plan p
      WHERE p.g % ${PARTS} = __PART__
      ORDER BY p.g`,
    [
      THEMES.map((t) => t.promiseTitle),
      THEMES.map((t) => t.statementTitle),
      OPENERS,
      THEMES.map((t) => t.promiseQuote),
      THEMES.map((t) => t.statementQuote),
      CLOSERS,
      PUBLISHERS,
      THEMES.map((t) => t.topic[1]),
      JSON.stringify(PROMISE_SUMMARIES),
      JSON.stringify(STATEMENT_SUMMARIES),
      EXPLANATION,
      renderMarkdown(EXPLANATION),
    ],
  );
  await run(db, 'UPDATE bench_plan p SET claim_id = c.id FROM claims c WHERE c.slug = p.slug');
  // Each claim has its theme's topic, and a third of them a second one.
  await run(
    db,
    `INSERT INTO claim_topics (claim_id, topic_id)
     SELECT p.claim_id, t.id FROM bench_plan p JOIN topics t ON t.slug = (?::text[])[p.theme + 1]
     UNION
     SELECT p.claim_id, t.id FROM bench_plan p JOIN topics t ON t.slug = (?::text[])[1 + (p.theme + 1) % ?::int]
      WHERE p.h2 % 3 = 0`,
    [THEMES.map((t) => t.topic[0]), THEMES.map((t) => t.topic[0]), THEMES.length],
  );
}

async function insertEvidenceAndHistory(db: Knex) {
  await inParts(
    db,
    `INSERT INTO evidence (claim_id, url, title, publisher, published_on, archive_url, excerpt, stance,
                           added_by, created_at, updated_at)
     SELECT p.claim_id,
            'https://berita.contoh.example/bukti/' || p.slug || '/' || k,
            (?::text[])[1 + (p.h + k) % 5] || ': laporan ' || lower((?::text[])[p.theme + 1]) || ' di '
              || p.region || ' (bagian ' || k || ')',
            (?::text[])[1 + (p.h + k) % 5],
            p.said_on + 3 * k,
            'https://arsip.contoh.example/' || p.slug || '/' || k,
            'Kutipan dokumen rekaan: realisasi program di ' || p.region || ' mencapai '
              || (10 + (p.h2 + k) % 90) || ' persen dari target yang dijanjikan.',
            (ARRAY['supports', 'contradicts', 'context'])[1 + (p.h2 + k) % 3],
            ${REPORTER}, p.published_at - interval '2 hours', p.published_at - interval '2 hours'
       FROM bench_plan p CROSS JOIN generate_series(1, ?::int) AS k
      WHERE p.g % ${PARTS} = __PART__
      ORDER BY p.g, k`,
    [PUBLISHERS, THEMES.map((t) => t.topic[1]), PUBLISHERS, EVIDENCE_PER_CLAIM],
  );
  // A rated claim's timeline walks from its initial status through two intermediate ones (never the
  // final one, so no step repeats its status) to the status it has now.
  await inParts(
    db,
    `INSERT INTO status_updates (claim_id, from_status, to_status, note, reason_code, proposed_by, created_at)
     SELECT s.claim_id, s.from_status, s.to_status, s.note,
            -- A change to broken, stalled or compromise says why (one of the list, never "other").
            CASE WHEN s.to_status IN ('broken', 'stalled', 'compromise')
                 THEN (ARRAY['not_prioritised', 'position_changed', 'blocked_by_dprd', 'no_budget',
                             'blocked_by_other_government', 'done_by_others'])[1 + (s.claim_id + s.n) % 6] END,
            ${REPORTER}, s.created_at
       FROM (
         SELECT p.claim_id, p.g, n,
                CASE WHEN n = 1 THEN CASE WHEN p.kind = 'promise' THEN 'not_rated' ELSE 'unverified' END
                     WHEN (n - 1) % 2 = 1 THEN x.steps[1] ELSE x.steps[2] END AS from_status,
                CASE WHEN n = p.updates THEN p.status
                     WHEN n % 2 = 1 THEN x.steps[1] ELSE x.steps[2] END AS to_status,
                (?::text[])[1 + (p.h + n) % 4] AS note,
                p.published_at + n * interval '11 days' - interval '3 hours' AS created_at
           FROM bench_plan p
           CROSS JOIN LATERAL generate_series(1, p.updates) AS n
           CROSS JOIN LATERAL (
             SELECT array_remove(CASE WHEN p.kind = 'promise' THEN ARRAY['in_progress', 'stalled', 'compromise']
                                      ELSE ARRAY['unproven', 'half_true', 'mostly_true'] END, p.status) AS steps
           ) AS x
          WHERE p.g % ${PARTS} = __PART__
       ) AS s
      ORDER BY s.g, s.n`,
    [STATUS_NOTES],
  );
  // Each step rests on one of its claim's evidence items, and an editor approved it.
  await inParts(
    db,
    `INSERT INTO status_update_evidence (status_update_id, evidence_id)
     SELECT su.id, ev.id
       FROM (SELECT id, claim_id, row_number() OVER (PARTITION BY claim_id ORDER BY id) AS n
               FROM status_updates WHERE claim_id % ${PARTS} = __PART__) AS su
       JOIN (SELECT id, claim_id, row_number() OVER (PARTITION BY claim_id ORDER BY id) AS k
               FROM evidence WHERE claim_id % ${PARTS} = __PART__) AS ev
         ON ev.claim_id = su.claim_id AND ev.k = (su.n - 1) % ${EVIDENCE_PER_CLAIM} + 1`,
  );
  await inParts(
    db,
    `INSERT INTO status_reviews (status_update_id, decision, applied_from_status, reviewed_by, created_at)
     SELECT su.id, 'approved', su.from_status, ${EDITOR}, su.created_at + interval '3 hours'
       FROM status_updates su WHERE su.id % ${PARTS} = __PART__ ORDER BY su.id`,
  );
}

/** What a benchmark database holds, written on the database itself (COMMENT ON DATABASE). */
interface DatasetMarker {
  generator: number;
  claims: number;
  migrations: string[];
}

async function expectedMarker(claims: number): Promise<DatasetMarker> {
  return { generator: GENERATOR_VERSION, claims, migrations: await migrationSource.getMigrations([]) };
}

function adminUrl(databaseUrl: string): { admin: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected benchmark database name: ${name}`);
  url.pathname = '/postgres';
  return { admin: url.toString(), name };
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: 'kawal-janji-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PreparedDataset {
  size: DatasetSize;
  /** False when a database with this size, generator and schema already existed and was reused. */
  generated: boolean;
  seconds: number;
}

/**
 * Makes sure the database at `databaseUrl` holds the dataset of `claims` claims: reused when its marker
 * matches (same size, generator and migrations), else dropped, recreated, migrated and filled. Recreating
 * is the simplest way to empty it, since the history tables refuse TRUNCATE and DELETE.
 */
export async function prepareDataset(
  databaseUrl: string,
  claims: number,
  options: { fresh?: boolean; log?: (step: string) => void } = {},
): Promise<PreparedDataset> {
  const started = performance.now();
  const log = (step: string) =>
    options.log?.(`${step} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const { admin, name } = adminUrl(databaseUrl);
  const expected = JSON.stringify(await expectedMarker(claims));
  const current = await withClient(admin, async (client) => {
    const { rows } = await client.query<{ marker: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows[0];
  });
  if (!options.fresh && current?.marker === expected) {
    return { size: datasetSize(claims), generated: false, seconds: (performance.now() - started) / 1000 };
  }
  await withClient(admin, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  // A bulk loader, not the app: none of the app's statement and query timeouts (src/db.ts), which a
  // statement inserting 50,000 claims may well exceed on a busy machine.
  const db = knex({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'kawal-janji-bench' },
    pool: { min: 0, max: PARTS },
  });
  let size: DatasetSize;
  try {
    await migrateLatest(db);
    log('database created and migrated');
    size = await generateDataset(db, claims, log);
    await vacuumAnalyze(db);
    log('vacuumed and analysed');
  } finally {
    await db.destroy();
  }
  await withClient(admin, async (client) => {
    // Write the bulk load out now rather than during the first measurements (needs a superuser or
    // pg_checkpoint; without them the checkpoint simply comes later).
    await client.query('CHECKPOINT').catch((err: { code?: string }) => {
      if (err.code !== '42501') throw err;
    });
    await client.query(`COMMENT ON DATABASE "${name}" IS ${client.escapeLiteral(expected)}`);
  });
  return { size, generated: true, seconds: (performance.now() - started) / 1000 };
}

/** Fresh statistics and visibility maps, as a database that has been running a while would have. */
async function vacuumAnalyze(db: Knex) {
  const { rows } = await db.raw<{ rows: { name: string }[] }>(
    `SELECT relname AS name FROM pg_class
      WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
      ORDER BY pg_total_relation_size(oid) DESC`,
  );
  const queue = rows.map((row) => row.name);
  await Promise.all(
    Array.from({ length: PARTS }, () =>
      db.client.acquireConnection().then(async (connection: pg.Client) => {
        try {
          await connection.query('SET statement_timeout = 0');
          for (let table = queue.shift(); table; table = queue.shift()) {
            await connection.query(`VACUUM (ANALYZE) "${table}"`);
          }
        } finally {
          await db.client.releaseConnection(connection);
        }
      }),
    ),
  );
}
