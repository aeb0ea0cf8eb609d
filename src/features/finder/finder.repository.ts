import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { ClaimKind, ClaimStatus, WorkflowState } from '../claims/scales';
import type { RosterCandidate } from './speakers';

/** An existing claim whose wording is close to a suggestion's (or to what is typed in the claim form). */
export interface SimilarClaim {
  id: number;
  slug: string;
  title: string | null;
  quote: string;
  kind: ClaimKind;
  status: ClaimStatus;
  workflow_state: WorkflowState;
  candidate_name: string;
  repeat_of: number | null;
  /** 0 to 1: the best of trigram similarity of the quote and the title, and of the words within the quote. */
  similarity: number;
}

/** Below this, wording is only loosely alike: shown nowhere. */
export const MIN_SIMILARITY = 0.5;
/** Most similar claims looked up per text. */
const PER_KEY = 5;

export function finderRepository(db: Db) {
  return {
    /** The tickets of an election, with the names they go by, for telling who speaks. */
    async roster(electionId: number): Promise<RosterCandidate[]> {
      return db('candidates')
        .select('id', 'name', 'running_mate', 'aliases', 'ballot_number')
        .where({ election_id: electionId })
        .orderBy('id');
    },

    async electionExists(trx: Knex, electionId: number): Promise<boolean> {
      return (await trx('elections').select('id').where({ id: electionId }).first()) !== undefined;
    },

    /**
     * The claims most like each text, all texts in one statement: pg_trgm's `%` (similarity of the
     * whole) and `<%` (the text found within a longer quote) on the GIN indexes of quote and title. Every
     * claim is searched, from any candidate and in any workflow state, since a draft logged twice is
     * work done twice. Answers, per text (by position), the best matches first.
     */
    async similarTo(texts: string[], limit = PER_KEY): Promise<SimilarClaim[][]> {
      const result: SimilarClaim[][] = texts.map(() => []);
      if (texts.length === 0) return result;
      const rows: (SimilarClaim & { key: number })[] = await db.transaction(async (trx) => {
        // The operators' thresholds for this transaction only: the index then returns only close rows.
        await trx.raw(
          "SELECT set_config('pg_trgm.similarity_threshold', ?, true), set_config('pg_trgm.word_similarity_threshold', ?, true)",
          [String(MIN_SIMILARITY), String(MIN_SIMILARITY)],
        );
        const { rows } = await trx.raw<{ rows: (SimilarClaim & { key: number })[] }>(
          `SELECT k.i AS key, m.*
             FROM unnest(?::int[], ?::text[]) AS k(i, body)
             CROSS JOIN LATERAL (
               SELECT c.id, c.slug, c.title, c.quote, c.kind, c.status, c.workflow_state, c.repeat_of,
                      cand.name AS candidate_name,
                      greatest(similarity(c.quote, k.body), word_similarity(k.body, c.quote),
                               similarity(coalesce(c.title, ''), k.body)) AS similarity
                 FROM claims c
                 JOIN candidates cand ON cand.id = c.candidate_id
                WHERE c.quote % k.body OR k.body <% c.quote OR c.title % k.body
                ORDER BY similarity DESC, c.id
                LIMIT ?
             ) m`,
          [texts.map((_, i) => i), texts, limit],
        );
        return rows;
      });
      for (const { key, ...row } of rows) {
        result[key]?.push({ ...row, similarity: Math.round(Number(row.similarity) * 100) / 100 });
      }
      return result;
    },
  };
}

export type FinderRepository = ReturnType<typeof finderRepository>;
