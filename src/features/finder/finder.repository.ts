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
/** A phrase shared by this many claims of the election is common: counting stops there. */
const RARE_CAP = 100;
/** The rarest phrases of a text that pick the claims to compare it with. */
const RARE_PHRASES = 8;
/** Claims compared with each text (pg_trgm), those sharing most of its rarest phrases. */
const CANDIDATES = 8;

/** An event the finder's drafts may carry. */
export interface FinderEvent {
  id: number;
  election_id: number;
  name: string;
  held_on: string;
}

export function finderRepository(db: Db) {
  return {
    /** Every event, by election and newest first, for the finder's choice of event. */
    async events(): Promise<FinderEvent[]> {
      return db('events')
        .select('id', 'election_id', 'name', db.raw("to_char(held_on, 'YYYY-MM-DD') AS held_on"))
        .orderBy([
          { column: 'election_id' },
          { column: 'held_on', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
    },

    async event(id: number): Promise<FinderEvent | undefined> {
      return db('events')
        .select('id', 'election_id', 'name', db.raw("to_char(held_on, 'YYYY-MM-DD') AS held_on"))
        .where({ id })
        .first();
    },

    /** The tickets of an election, with the names they go by, for telling who speaks. */
    async roster(electionId: number): Promise<RosterCandidate[]> {
      return db('candidates')
        .select('id', 'name', 'running_mate', 'aliases', 'ballot_number')
        .where({ election_id: electionId })
        .orderBy('id');
    },

    /**
     * The claims most like each text, all texts in one statement. For each text: its runs of three words
     * (claim_shingles), each counted among the claims of the election that share it (claim_phrases,
     * stopping at RARE_CAP); the RARE_PHRASES rarest; the CANDIDATES claims sharing most of those (a
     * quarter of them at least), scored
     * by pg_trgm (similarity of the whole, of the text within a longer quote, of the title). Every claim of
     * the election is searched, from any candidate and in any workflow state, since a draft logged twice
     * is work done twice. Answers, per text (by position), the best matches first.
     */
    async similarTo(
      texts: string[],
      options: { electionId: number; limit?: number },
    ): Promise<SimilarClaim[][]> {
      const result: SimilarClaim[][] = texts.map(() => []);
      if (texts.length === 0) return result;
      const { rows } = await db
        .raw<{ rows: (SimilarClaim & { key: number })[] }>(
          `SELECT k.i AS key, m.*
           FROM unnest(?::int[], ?::text[]) AS k(i, body)
           CROSS JOIN LATERAL (SELECT claim_shingles(k.body) AS shingles OFFSET 0) q
           CROSS JOIN LATERAL (
             SELECT scored.*
               FROM (
                 SELECT s.id, s.slug, s.title, s.quote, s.kind, s.status, s.workflow_state, s.repeat_of,
                        cand.name AS candidate_name,
                        greatest(similarity(s.quote, k.body), word_similarity(k.body, s.quote),
                                 similarity(coalesce(s.title, ''), k.body)) AS similarity
                   FROM (
                     SELECT p.claim_id
                       FROM (
                         SELECT sh.shingle
                           FROM unnest(q.shingles) AS sh(shingle)
                           CROSS JOIN LATERAL (
                             SELECT count(*) AS n
                               FROM (SELECT 1 FROM claim_phrases f
                                      WHERE f.election_id = ? AND f.shingle = sh.shingle LIMIT ?) capped
                           ) df
                          WHERE df.n > 0
                          ORDER BY df.n, sh.shingle
                          LIMIT ?
                       ) rare
                       JOIN claim_phrases p ON p.election_id = ? AND p.shingle = rare.shingle
                      GROUP BY p.claim_id
                      -- Sharing a quarter of the text's phrases at least (of RARE_PHRASES at most): one
                      -- phrase in common with a long text is never wording alike enough to show, and
                      -- pg_trgm is what a lookup costs.
                     HAVING count(*) * 4 >= least(?, cardinality(q.shingles))
                      ORDER BY count(*) DESC, p.claim_id
                      LIMIT ?
                   ) hit
                   JOIN claims s ON s.id = hit.claim_id
                   JOIN candidates cand ON cand.id = s.candidate_id
                  OFFSET 0
               ) scored
              WHERE scored.similarity >= ?
              ORDER BY scored.similarity DESC, scored.id
              LIMIT ?
           ) m`,
          [
            texts.map((_, i) => i),
            texts,
            options.electionId,
            RARE_CAP,
            RARE_PHRASES,
            options.electionId,
            RARE_PHRASES,
            CANDIDATES,
            MIN_SIMILARITY,
            options.limit ?? PER_KEY,
          ],
        )
        // A named (prepared) statement on PostgreSQL: planned once per connection, not at every keystroke.
        .options({ name: 'kj_similar_claims' });
      for (const { key, ...row } of rows) {
        result[key]?.push({ ...row, similarity: Math.round(Number(row.similarity) * 100) / 100 });
      }
      return result;
    },
  };
}

export type FinderRepository = ReturnType<typeof finderRepository>;
