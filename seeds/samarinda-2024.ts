import type { Knex } from 'knex';

// The founding case: the Samarinda 2024 mayoral debate of Monday 4 November 2024, as reported by
// Tribun Kaltim (seeds/sources/tribunkaltim-2024-11-04-debat-pilkada-samarinda.txt). Quotes are copied
// from the article exactly, typos included; where the article reports rather than quotes, the text is
// the article's and the claim is flagged as a paraphrase. Every claim is unrated: verdicts and evidence
// about a real person come from journalists with real sources, never from a seed. The article's
// non-breaking spaces are kept (\u00a0) so that every quote is found in it character for character.

/** The debate itself: the first event page, /events/debat-pilkada-samarinda-2024. */
const EVENT = {
  slug: 'debat-pilkada-samarinda-2024',
  kind: 'debate',
  name: 'Debat Pilkada Samarinda 2024',
  held_on: '2024-11-04',
};

const SOURCE = {
  said_on: '2024-11-04',
  source_publisher: 'Tribun Kaltim',
  source_title:
    'Debat Pilkada Samarinda 2024, Andi Harun Beber Kerja Sama soal Sistem Sama Ridwan Kamil di Periode 1',
  source_url: null,
};

interface SeedClaim {
  slug: string;
  kind: 'promise' | 'statement';
  title: string;
  quote: string;
  quote_is_paraphrase: boolean;
  topics: string[];
}

const TOPICS = [
  { slug: 'reformasi-birokrasi', name: 'Reformasi birokrasi' },
  { slug: 'aparatur-sipil-negara', name: 'Aparatur sipil negara (ASN)' },
  { slug: 'meritokrasi', name: 'Meritokrasi' },
  { slug: 'kerja-sama-daerah', name: 'Kerja sama antardaerah' },
];

const CLAIMS: SeedClaim[] = [
  {
    slug: 'opd-samarinda-dipangkas-dari-40-menjadi-30',
    kind: 'statement',
    title: 'Penyederhanaan birokrasi: jumlah OPD Pemkot Samarinda turun dari 40 menjadi 30',
    quote: 'Dulu 40 OPD, sekarang 30 OPD.',
    quote_is_paraphrase: false,
    topics: ['reformasi-birokrasi'],
  },
  {
    slug: 'kerja-sama-meritokrasi-dengan-jawa-barat-era-ridwan-kamil',
    kind: 'statement',
    title:
      'Samarinda menandatangani kerja sama sistem meritokrasi dengan Pemprov Jawa Barat era Ridwan Kamil dan mereplikasinya',
    quote:
      'Saya periode pertama, langsung cepat melakukan kerja sama dengan Pemrov Jawa Barat, kami tandatangan bersama kang emil, gubernur saat itu. Kami mereplikasi sistem meritokrasi yang dilakukan di Jabar, hal ini sudah berlangsung di Samarinda,',
    quote_is_paraphrase: false,
    topics: ['meritokrasi', 'kerja-sama-daerah', 'reformasi-birokrasi'],
  },
  {
    slug: 'mutasi-rotasi-promosi-asn-tanpa-kkn',
    kind: 'promise',
    title: 'Mutasi, rotasi dan promosi ASN dipastikan tanpa KKN',
    quote:
      'Kami pastikan sistem mutasi rotasi dan promosi dilakukan tanpa KKN. Dengan permulaan penerapan sistem meritokrasi,',
    quote_is_paraphrase: false,
    topics: ['aparatur-sipil-negara', 'meritokrasi'],
  },
  {
    slug: 'sistem-kepegawaian-kualifikasi-kompetensi-kinerja',
    kind: 'promise',
    title: 'Sistem kepegawaian yang mengatur kualifikasi, kompetensi dan kinerja',
    quote:
      'Kami sadar bahwa langkah penyederhaanan birorkrasi tak cukup. Harus disertai penciptaan sebuah sistem kepegawaian yang mengatur 3 sektor,\u00a0kualifikasi,\u00a0kompetensi dan kinerja,',
    quote_is_paraphrase: false,
    topics: ['aparatur-sipil-negara', 'reformasi-birokrasi'],
  },
  {
    slug: 'pengembangan-asn-coaching-pendidikan-kedinasan-dinas-belajar',
    kind: 'statement',
    title: 'Pengembangan ASN lewat coaching, pendidikan kedinasan, dinas belajar dan tugas dinas',
    quote:
      'Andi\u00a0Harun menjelaskan pihaknya telah melakukan coaching, pendidikan kedinasan dan pengembangan termasuk dinas belajar maupun tugas dinas.',
    quote_is_paraphrase: true,
    topics: ['aparatur-sipil-negara'],
  },
  {
    slug: 'e-kinerja-diterapkan-untuk-pengembangan-kapasitas-asn',
    kind: 'statement',
    title: 'Pemkot Samarinda menerapkan e-kinerja untuk pengembangan kapasitas ASN',
    quote:
      'Agar ASN melakukan pengembangan kapasitas dirinya, dalam rangka mewujudkan kapasitas ASN yang berkualifikasi, berkompetensi dan bergerilya. Pengaturan ini kita terapkan e-kinerja,',
    quote_is_paraphrase: false,
    topics: ['aparatur-sipil-negara'],
  },
  {
    slug: 'periode-pertama-andi-harun-hanya-3-tahun',
    kind: 'statement',
    title: 'Periode pertama Andi Harun sebagai wali kota hanya tiga tahun',
    quote:
      'Karena sempitnya waktu periode pertama Andi harun, hanya 3 tahun.\u00a0Pihaknya mengambil langkah untuk melakukan replikasi terhadap daerah yang terbukti secara kongkrit berhasil melakukan reformasi birokrasi.',
    quote_is_paraphrase: true,
    topics: ['reformasi-birokrasi'],
  },
  {
    slug: 'reformasi-birokrasi-agenda-presiden-jokowi-dan-prabowo',
    kind: 'statement',
    title: 'Reformasi birokrasi menjadi agenda Presiden Jokowi dan dipertegas Presiden Prabowo',
    quote:
      'Reformasi biroksrasi jadi agenda presiden Jokowi, dan dipertegas bapak presiden Prabowo Subianto,',
    quote_is_paraphrase: false,
    topics: ['reformasi-birokrasi'],
  },
];

export async function seed(knex: Knex): Promise<void> {
  const now = new Date('2024-11-04T12:00:00Z');
  const [election] = await knex('elections')
    .insert({
      slug: 'pilkada-kota-samarinda-2024',
      name: 'Pilkada Kota Samarinda 2024',
      office: 'Wali Kota Samarinda',
      region: 'Kota Samarinda, Kalimantan Timur',
      voting_day: '2024-11-27',
      description:
        'Pemilihan wali kota dan wakil wali kota Samarinda dalam Pilkada serentak 27 November 2024, dengan satu pasangan calon.',
    })
    .returning('id');
  const [candidate] = await knex('candidates')
    .insert({
      election_id: election.id,
      slug: 'andi-harun-saefuddin-zuhri',
      name: 'Andi Harun',
      running_mate: 'Saefuddin Zuhri',
      is_incumbent: true,
      bio: 'Wali Kota Samarinda petahana; bersama Saefuddin Zuhri menjadi satu-satunya pasangan calon pada Pilkada Kota Samarinda 2024.',
    })
    .returning('id');
  const [event] = await knex('events')
    .insert({ ...EVENT, election_id: election.id, created_at: now, updated_at: now })
    .returning('id');
  const topics: { id: number; slug: string }[] = await knex('topics')
    .insert(TOPICS)
    .returning(['id', 'slug']);
  const topicId = new Map(topics.map((t) => [t.slug, t.id]));

  for (const claim of CLAIMS) {
    const [row] = await knex('claims')
      .insert({
        slug: claim.slug,
        election_id: election.id,
        candidate_id: candidate.id,
        kind: claim.kind,
        title: claim.title,
        quote: claim.quote,
        quote_is_paraphrase: claim.quote_is_paraphrase,
        ...SOURCE,
        event_id: event.id,
        status: claim.kind === 'promise' ? 'not_rated' : 'unverified',
        workflow_state: 'published',
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    await knex('claim_topics').insert(
      claim.topics.map((slug) => ({ claim_id: row.id, topic_id: topicId.get(slug) })),
    );
  }

  await knex('audit_log').insert({
    action: 'seed.load',
    entity: 'election',
    entity_id: election.id,
    after: JSON.stringify({ seed: 'samarinda-2024', claims: CLAIMS.length, topics: TOPICS.length }),
  });
}
