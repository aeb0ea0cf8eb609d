import type { Db } from '../../db';

/** What links a claim to others and to its candidate's answers, as /claims.csv writes it in three cells. */
export interface ClaimLinks {
  /** The slug of the claim this one repeats, when the public may see it. */
  repeat_of: string | null;
  /** The slugs of the public claims that repeat this one, in the order said. */
  repeats: string[];
  /** How many responses (right of reply) the claim has. */
  responses: number;
}

/** The claims' repeat links and how many responses each has: one query for a batch of claims. */
export function exportsRepository(db: Db) {
  return {
    async links(claimIds: number[]): Promise<Map<number, ClaimLinks>> {
      if (claimIds.length === 0) return new Map();
      // The same claims the verdict page links: published or retracted (a retracted page still answers).
      const result = await db.raw(
        `SELECT c.id,
                (SELECT o.slug FROM claims o
                  WHERE o.id = c.repeat_of AND o.workflow_state IN ('published', 'retracted')) AS repeat_of,
                (SELECT coalesce(json_agg(r.slug ORDER BY r.said_on NULLS LAST, r.id), '[]'::json)
                   FROM claims r
                  WHERE r.repeat_of = c.id AND r.workflow_state IN ('published', 'retracted')) AS repeats,
                (SELECT count(*)::int FROM claim_responses x WHERE x.claim_id = c.id) AS responses
           FROM claims c
          WHERE c.id IN (SELECT json_array_elements_text(?::json)::int)`,
        [JSON.stringify(claimIds)],
      );
      const rows = (result as { rows: (ClaimLinks & { id: number })[] }).rows;
      return new Map(rows.map(({ id, ...links }) => [id, links]));
    },
  };
}
