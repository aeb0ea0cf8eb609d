import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Claim } from '../../src/features/claims/claims.types';
import type { ClaimKind, ClaimStatus, EvidenceStance, WorkflowState } from '../../src/features/claims/scales';
import type { Candidate, Election } from '../../src/features/elections/elections.repository';
import type { Role, User } from '../../src/features/users/users.repository';
import { hashPassword } from '../../src/lib/passwords';

/** A short unique suffix, so that factory rows never collide within a database. */
export function unique(prefix = 'x'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createElection(db: Knex, overrides: Partial<Election> = {}): Promise<Election> {
  const slug = overrides.slug ?? unique('pilkada');
  const [row] = await db('elections')
    .insert({
      slug,
      name: `Pilkada Uji ${slug}`,
      office: 'Wali Kota Uji',
      region: 'Kota Uji',
      voting_day: '2024-11-27',
      ...overrides,
    })
    .returning('*');
  return row;
}

export async function createCandidate(
  db: Knex,
  overrides: Partial<Candidate> & { election_id?: number } = {},
): Promise<Candidate> {
  const election_id = overrides.election_id ?? (await createElection(db)).id;
  const slug = overrides.slug ?? unique('calon');
  const [row] = await db('candidates')
    .insert({ slug, name: `Calon ${slug}`, running_mate: `Wakil ${slug}`, ...overrides, election_id })
    .returning('*');
  return row;
}

export async function createTopic(db: Knex, overrides: { slug?: string; name?: string } = {}) {
  const slug = overrides.slug ?? unique('topik');
  const [row] = await db('topics')
    .insert({ slug, name: overrides.name ?? `Topik ${slug}` })
    .returning('*');
  return row as { id: number; slug: string; name: string };
}

export interface ClaimOverrides extends Partial<Omit<Claim, 'kind' | 'status' | 'workflow_state'>> {
  kind?: ClaimKind;
  status?: ClaimStatus;
  workflow_state?: WorkflowState;
  topic_ids?: number[];
}

/** A claim (published unless told otherwise), with its candidate and election made when not given. */
export async function createClaim(db: Knex, overrides: ClaimOverrides = {}): Promise<Claim> {
  const { topic_ids = [], ...fields } = overrides;
  let candidate_id = fields.candidate_id;
  let election_id = fields.election_id;
  if (!candidate_id) {
    const candidate = await createCandidate(db, election_id ? { election_id } : {});
    candidate_id = candidate.id;
    election_id = candidate.election_id;
  } else if (!election_id) {
    election_id = (await db('candidates').where({ id: candidate_id }).first()).election_id;
  }
  const kind = fields.kind ?? 'statement';
  const workflow_state = fields.workflow_state ?? 'published';
  const slug = fields.slug ?? unique('klaim');
  const [row] = await db('claims')
    .insert({
      slug,
      kind,
      title: `Klaim uji ${slug}`,
      quote: `Kutipan uji ${slug}`,
      said_on: '2024-11-04',
      status: kind === 'promise' ? 'not_rated' : 'unverified',
      published_at: workflow_state === 'published' || workflow_state === 'retracted' ? new Date() : null,
      retracted_at: workflow_state === 'retracted' ? new Date() : null,
      retraction_reason: workflow_state === 'retracted' ? 'Ditarik dalam uji' : null,
      ...fields,
      workflow_state,
      candidate_id,
      election_id,
    })
    .returning('*');
  if (topic_ids.length > 0) {
    await db('claim_topics').insert(topic_ids.map((topic_id) => ({ claim_id: row.id, topic_id })));
  }
  return row;
}

export async function createEvidence(
  db: Knex,
  overrides: {
    claim_id: number;
    stance?: EvidenceStance;
    url?: string;
    title?: string;
    added_by?: number | null;
  },
) {
  const [row] = await db('evidence')
    .insert({
      url: `https://example.org/${unique('bukti')}`,
      title: `Bukti ${unique()}`,
      publisher: 'Penerbit Uji',
      published_on: '2024-11-05',
      stance: 'supports',
      ...overrides,
    })
    .returning('*');
  return row as { id: number; claim_id: number; url: string; title: string; stance: EvidenceStance };
}

export const TEST_PASSWORD = 'kata-sandi-uji-yang-panjang';

// Hashing is deliberately slow; tests make many users with one password, so hash it once.
let testPasswordHash: Promise<string> | undefined;

export async function createUser(
  db: Knex,
  overrides: Partial<Pick<User, 'email' | 'display_name' | 'role' | 'active'>> & { password?: string } = {},
): Promise<User & { password: string }> {
  const { password, ...fields } = overrides;
  const role: Role = fields.role ?? 'reporter';
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const password_hash = password ? await hashPassword(password) : await testPasswordHash;
  const [row] = await db('users')
    .insert({
      email: `${unique(role)}@redaksi.test`,
      display_name: `Jurnalis ${unique()}`,
      role,
      password_hash,
      ...fields,
    })
    .returning('*');
  return { ...row, password: password ?? TEST_PASSWORD };
}
