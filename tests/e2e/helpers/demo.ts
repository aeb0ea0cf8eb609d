import type { Knex } from 'knex';
import type { ClaimKind, ClaimStatus } from '../../../src/features/claims/scales';
import { createCandidate, createClaim, createElection, createTopic } from '../../helpers/factories';
import { createRatedClaim } from '../../helpers/public-factories';

// A made-up election, so that the pages under test (and the screenshots in the README) show every kind of
// verdict without putting words in the mouth of a real candidate. "Contoh" is Indonesian for "example".

export const DEMO_ELECTION_SLUG = 'pilkada-kota-contoh-2024';
export const DEMO_VERDICT_SLUG = 'jembatan-baru-kota-contoh-sejak-2021';

export interface Demo {
  electionSlug: string;
  verdictSlug: string;
  candidateId: number;
}

const OTHER_CLAIMS: { kind: ClaimKind; status: ClaimStatus; title: string }[] = [
  { kind: 'promise', status: 'kept', title: 'Angkutan sekolah gratis di setiap kecamatan' },
  { kind: 'promise', status: 'in_progress', title: 'Seratus titik lampu jalan tenaga surya' },
  { kind: 'promise', status: 'stalled', title: 'Pasar tradisional baru di tepi sungai' },
  { kind: 'promise', status: 'broken', title: 'Izin usaha kecil selesai dalam satu hari' },
  { kind: 'promise', status: 'compromise', title: 'Taman kota di setiap kelurahan' },
  { kind: 'statement', status: 'true', title: 'Angka putus sekolah turun dua tahun berturut-turut' },
  { kind: 'statement', status: 'false', title: 'Kota Contoh bebas banjir sejak 2022' },
  { kind: 'statement', status: 'misleading', title: 'Anggaran kesehatan naik dua kali lipat' },
  { kind: 'statement', status: 'half_true', title: 'Semua puskesmas buka 24 jam' },
];

export async function createDemoElection(db: Knex): Promise<Demo> {
  const election = await createElection(db, {
    slug: DEMO_ELECTION_SLUG,
    name: 'Pilkada Kota Contoh 2024',
    office: 'Wali Kota Contoh',
    region: 'Kota Contoh (rekaan)',
    voting_day: '2024-11-27',
    term_start: '2025-02-20',
    term_end: '2030-02-20',
    description:
      'Pemilihan rekaan untuk contoh tampilan: dua pasangan calon, janji dan pernyataan yang sudah dinilai.',
  });
  const ayu = await createCandidate(db, {
    election_id: election.id,
    slug: 'ayu-contoh-bima-teladan',
    name: 'Ayu Contoh',
    running_mate: 'Bima Teladan',
    party: 'Koalisi Contoh Maju',
    ballot_number: 1,
    is_incumbent: true,
  });
  const citra = await createCandidate(db, {
    election_id: election.id,
    slug: 'citra-sampel-dimas-percontohan',
    name: 'Citra Sampel',
    running_mate: 'Dimas Percontohan',
    party: 'Koalisi Kota Baru',
    ballot_number: 2,
  });
  const infrastructure = await createTopic(db, { slug: 'infrastruktur-contoh', name: 'Infrastruktur' });

  await createRatedClaim(db, {
    slug: DEMO_VERDICT_SLUG,
    election_id: election.id,
    candidate_id: ayu.id,
    kind: 'statement',
    status: 'mostly_true',
    title: 'Dua belas jembatan baru dibangun di Kota Contoh sejak 2021',
    quote: 'Sejak 2021 kami sudah membangun dua belas jembatan baru, dan semuanya dipakai warga setiap hari.',
    said_on: '2024-11-04',
    source_publisher: 'Harian Contoh',
    source_title: 'Debat kedua: adu data infrastruktur',
    source_url: 'https://example.org/harian-contoh/debat-kedua',
    summary:
      'Dinas Pekerjaan Umum mencatat sebelas jembatan baru selesai sejak 2021; yang kedua belas masih dikerjakan.',
    explanation:
      'Kami membandingkan pernyataan ini dengan **daftar proyek Dinas Pekerjaan Umum** dan laporan keuangan kota.\n\n' +
      '- Sebelas jembatan selesai dan dipakai antara 2021 dan 2024.\n' +
      '- Jembatan kedua belas baru selesai 80 persen ketika debat berlangsung.',
    topic_ids: [infrastructure.id],
    note: 'Data Dinas PU: sebelas jembatan selesai, satu masih dikerjakan.',
    evidence: [
      {
        stance: 'supports',
        title: 'Daftar proyek jembatan 2021–2024, Dinas Pekerjaan Umum Kota Contoh',
        url: 'https://example.org/pu-kota-contoh/jembatan-2021-2024',
      },
      {
        stance: 'context',
        title: 'Laporan kemajuan pembangunan jembatan Sungai Contoh',
        url: 'https://example.org/harian-contoh/jembatan-sungai-contoh',
      },
    ],
  });
  for (const [index, claim] of OTHER_CLAIMS.entries()) {
    const candidate = index % 2 === 0 ? ayu : citra;
    await createRatedClaim(db, {
      election_id: election.id,
      candidate_id: candidate.id,
      kind: claim.kind,
      status: claim.status,
      title: claim.title,
      quote: `${claim.title}.`,
      said_on: '2024-11-04',
    });
  }
  await createClaim(db, {
    election_id: election.id,
    candidate_id: citra.id,
    kind: 'promise',
    title: 'Air bersih ke seluruh rumah dalam tiga tahun',
    quote: 'Dalam tiga tahun, air bersih mengalir ke seluruh rumah di Kota Contoh.',
    said_on: '2024-11-04',
    deadline: '2028-02-20',
  });
  return { electionSlug: election.slug, verdictSlug: DEMO_VERDICT_SLUG, candidateId: ayu.id };
}
