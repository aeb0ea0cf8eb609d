import type { Db } from '../../db';
import type { ClaimKind, ClaimStatus, WorkflowState } from './scales';

export interface Claim {
  id: number;
  slug: string;
  election_id: number;
  candidate_id: number;
  kind: ClaimKind;
  title: string | null;
  quote: string;
  quote_is_paraphrase: boolean;
  said_on: string | null;
  event: string | null;
  source_publisher: string | null;
  source_title: string | null;
  source_url: string | null;
  status: ClaimStatus;
  summary: string | null;
  explanation: string | null;
  deadline: string | null;
  workflow_state: WorkflowState;
  retraction_reason: string | null;
  published_at: Date | null;
  retracted_at: Date | null;
  created_by: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A claim as the public sees it: with who said it, in which election, and its topics. */
export interface PublicClaim extends Claim {
  candidate_slug: string;
  candidate_name: string;
  candidate_running_mate: string | null;
  election_slug: string;
  election_name: string;
  topics: { slug: string; name: string }[];
}

const CLAIM_COLUMNS = [
  'c.id',
  'c.slug',
  'c.election_id',
  'c.candidate_id',
  'c.kind',
  'c.title',
  'c.quote',
  'c.quote_is_paraphrase',
  'c.said_on',
  'c.event',
  'c.source_publisher',
  'c.source_title',
  'c.source_url',
  'c.status',
  'c.summary',
  'c.explanation',
  'c.deadline',
  'c.workflow_state',
  'c.retraction_reason',
  'c.published_at',
  'c.retracted_at',
  'c.created_by',
  'c.version',
  'c.created_at',
  'c.updated_at',
];

export function claimsRepository(db: Db) {
  function publicClaims() {
    return db('claims as c')
      .join('candidates as k', 'k.id', 'c.candidate_id')
      .join('elections as e', 'e.id', 'c.election_id')
      .select(CLAIM_COLUMNS)
      .select({
        candidate_slug: 'k.slug',
        candidate_name: 'k.name',
        candidate_running_mate: 'k.running_mate',
        election_slug: 'e.slug',
        election_name: 'e.name',
        // One query for the topics too: an array of {slug, name}, empty when there are none.
        topics: db.raw(
          `coalesce((SELECT json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name)
             FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id WHERE ct.claim_id = c.id), '[]'::json)`,
        ),
      });
  }

  return {
    /** Published claims of the given elections, newest said first. */
    async listPublishedByElections(electionIds: number[]): Promise<PublicClaim[]> {
      if (electionIds.length === 0) return [];
      return publicClaims()
        .whereIn('c.election_id', electionIds)
        .where('c.workflow_state', 'published')
        .orderBy([
          { column: 'c.said_on', order: 'desc', nulls: 'last' },
          { column: 'c.id', order: 'asc' },
        ]);
    },
    /** A claim by its slug, if the public may see it (published, or retracted with its notice). */
    async findPublicBySlug(slug: string): Promise<PublicClaim | undefined> {
      return publicClaims()
        .where('c.slug', slug)
        .whereIn('c.workflow_state', ['published', 'retracted'])
        .first();
    },
  };
}

export type ClaimsRepository = ReturnType<typeof claimsRepository>;
