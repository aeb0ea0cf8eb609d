import type { Knex } from 'knex';
import type { Db } from '../../db';

/** A response of a candidate or their team to a verdict, as the newsroom recorded it. */
export interface ClaimResponse {
  id: number;
  claim_id: number;
  responded_at: Date;
  responder: string;
  responder_role: string | null;
  text: string | null;
  url: string | null;
  created_by: number | null;
  created_at: Date;
}

/** A public correction of a response: its note, and the response's text and link as corrected. */
export interface ResponseCorrection {
  id: number;
  response_id: number;
  note: string;
  text: string | null;
  url: string | null;
  created_by: number | null;
  created_at: Date;
}

/** A response with its corrections (oldest first), as the newsroom's page lists it. */
export type ResponseWithCorrections = ClaimResponse & { corrections: ResponseCorrection[] };

/** A response in the feed: with its claim, and when it last changed (its latest correction). */
export interface FeedResponse {
  id: number;
  responded_at: Date;
  responder: string;
  responder_role: string | null;
  text: string | null;
  url: string | null;
  created_at: Date;
  updated_at: Date;
  claim_slug: string;
  claim_title: string;
  candidate_name: string;
}

/**
 * The response's text and link as they read now: those of its latest correction, else its own. What a
 * response says is stored whole in each correction, so the latest one is the current wording.
 */
export function currentContent(
  response: Pick<ClaimResponse, 'text' | 'url'>,
  corrections: readonly Pick<ResponseCorrection, 'text' | 'url'>[],
): { text: string | null; url: string | null } {
  const latest = corrections.at(-1);
  return latest ? { text: latest.text, url: latest.url } : { text: response.text, url: response.url };
}

export function responsesRepository(db: Db) {
  return {
    async find(
      id: number,
      trx: Knex = db,
      options: { lock?: boolean } = {},
    ): Promise<ClaimResponse | undefined> {
      const q = trx<ClaimResponse>('claim_responses').where({ id });
      // FOR UPDATE locks the row without writing it: the append-only trigger does not fire.
      return options.lock ? q.forUpdate().first() : q.first();
    },

    async corrections(responseId: number, trx: Knex = db): Promise<ResponseCorrection[]> {
      return trx<ResponseCorrection>('claim_response_corrections')
        .where({ response_id: responseId })
        .orderBy('id', 'asc');
    },

    /** A claim's responses in the order they were given, each with its corrections. */
    async ofClaim(claimId: number): Promise<ResponseWithCorrections[]> {
      const responses = await db<ClaimResponse>('claim_responses')
        .where({ claim_id: claimId })
        .orderBy([{ column: 'responded_at' }, { column: 'id' }]);
      if (responses.length === 0) return [];
      const corrections = await db<ResponseCorrection>('claim_response_corrections')
        .whereIn(
          'response_id',
          responses.map((r) => r.id),
        )
        .orderBy('id', 'asc');
      return responses.map((r) => ({ ...r, corrections: corrections.filter((c) => c.response_id === r.id) }));
    },

    async insert(trx: Knex, row: Omit<ClaimResponse, 'id' | 'created_at'>): Promise<ClaimResponse> {
      const [created] = await trx('claim_responses').insert(row).returning('*');
      return created as ClaimResponse;
    },

    async insertCorrection(
      trx: Knex,
      row: Omit<ResponseCorrection, 'id' | 'created_at'>,
    ): Promise<ResponseCorrection> {
      const [created] = await trx('claim_response_corrections').insert(row).returning('*');
      return created as ResponseCorrection;
    },

    /**
     * The latest responses recorded on published claims, newest first (the feed), each with its text
     * and link as corrected and when it last changed.
     */
    async latestPublic(limit: number): Promise<FeedResponse[]> {
      const result = await db.raw(
        `SELECT x.id, x.responded_at, x.responder, x.responder_role,
                CASE WHEN lc.id IS NULL THEN x.text ELSE lc.text END AS text,
                CASE WHEN lc.id IS NULL THEN x.url ELSE lc.url END AS url,
                x.created_at, greatest(x.created_at, lc.created_at) AS updated_at,
                c.slug AS claim_slug, coalesce(c.title, '') AS claim_title, k.name AS candidate_name
           FROM claim_responses x
           JOIN claims c ON c.id = x.claim_id AND c.workflow_state = 'published'
           JOIN candidates k ON k.id = c.candidate_id
           LEFT JOIN LATERAL (
             SELECT y.id, y.text, y.url, y.created_at FROM claim_response_corrections y
              WHERE y.response_id = x.id ORDER BY y.id DESC LIMIT 1) lc ON true
          ORDER BY x.id DESC
          LIMIT ?`,
        [limit],
      );
      return (result as { rows: FeedResponse[] }).rows;
    },
  };
}

export type ResponsesRepository = ReturnType<typeof responsesRepository>;
