import type { Db } from '../../db';
import { batchedReads } from '../../lib/batched-reads';
import type { Freshness } from '../../lib/freshness';
import { PUBLIC_EVIDENCE_COLUMNS, TIMELINE_EVIDENCE_COLUMNS } from '../evidence/evidence-columns';
import { type FreshnessRow, toFreshness } from '../freshness/freshness.repository';
import type { PublicResponseJson } from '../responses/responses.presenters';
import { CLAIM_COLUMNS } from './claim-columns';
import type { PublicClaim, PublicCorrection, PublicEvidence, RepeatRef, TimelineEntry } from './claims.types';

/**
 * When a public claim's page last changed (c, k and e being the claim, its candidate and its election):
 * the three rows, its evidence, the reviews of its status changes, its corrections, its topics and its
 * responses (the right of reply) with their corrections.
 */
const PAGE_CHANGED_SQL = `greatest(c.updated_at, k.updated_at, e.updated_at,
    (SELECT max(ev.updated_at) FROM evidence ev WHERE ev.claim_id = c.id),
    (SELECT max(r.created_at) FROM status_updates u
       JOIN status_reviews r ON r.status_update_id = u.id WHERE u.claim_id = c.id),
    (SELECT max(x.created_at) FROM corrections x WHERE x.claim_id = c.id),
    (SELECT max(t.updated_at) FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id
       WHERE ct.claim_id = c.id),
    (SELECT evt.updated_at FROM events evt WHERE evt.id = c.event_id),
    (SELECT max(x.updated_at) FROM claims x WHERE x.repeat_of = c.id OR x.id = c.repeat_of),
    (SELECT a.updated_at FROM agencies a WHERE a.id = c.agency_id),
    (SELECT max(x.created_at) FROM claim_responses x WHERE x.claim_id = c.id),
    (SELECT max(y.created_at) FROM claim_responses x
       JOIN claim_response_corrections y ON y.response_id = x.id WHERE x.claim_id = c.id))`;

/** A repeat or an original as its verdict page links it: said when and where, and its own status. */
const REPEAT_JSON = (x: string, ev: string) =>
  `json_build_object('slug', ${x}.slug, 'title', ${x}.title, 'kind', ${x}.kind, 'status', ${x}.status,
     'said_on', ${x}.said_on, 'moment', ${x}.moment, 'event_slug', ${ev}.slug, 'event_name', ${ev}.name)`;

/**
 * The claim's repeats (claims linked to it as said again), in the order said, and the original it repeats:
 * those the public may see; and when any of them, public or not, last changed (linking or unlinking a
 * repeat touches its original too).
 */
const REPEATS_SQL = `
    SELECT (SELECT ${REPEAT_JSON('o', 'oe')} FROM claims o LEFT JOIN events oe ON oe.id = o.event_id
             WHERE o.id = c.repeat_of AND o.workflow_state IN ('published', 'retracted')) AS page_repeat_of,
           (SELECT coalesce(json_agg(${REPEAT_JSON('r', 're')} ORDER BY r.said_on NULLS LAST, r.id), '[]'::json)
              FROM claims r LEFT JOIN events re ON re.id = r.event_id
             WHERE r.repeat_of = c.id AND r.workflow_state IN ('published', 'retracted')) AS page_repeats,
           (SELECT max(x.updated_at) FROM claims x WHERE x.repeat_of = c.id OR x.id = c.repeat_of) AS changed`;

/**
 * The claim's responses (the right of reply) in the order given, each with its corrections, oldest first;
 * and when the newest of them was recorded (both tables only grow).
 */
const RESPONSES_SQL = `
    SELECT coalesce(json_agg(json_build_object('id', x.id, 'responded_at', x.responded_at,
             'responder', x.responder, 'responder_role', x.responder_role, 'text', x.text,
             'url', x.url, 'created_at', x.created_at,
             'corrections', coalesce((SELECT json_agg(json_build_object('id', y.id, 'note', y.note,
                 'text', y.text, 'url', y.url, 'created_at', y.created_at) ORDER BY y.id)
               FROM claim_response_corrections y WHERE y.response_id = x.id), '[]'::json))
             ORDER BY x.responded_at, x.id), '[]'::json) AS page_responses,
           greatest(max(x.created_at), (SELECT max(y.created_at) FROM claim_responses z
             JOIN claim_response_corrections y ON y.response_id = z.id WHERE z.claim_id = c.id)) AS changed
      FROM claim_responses x
     WHERE x.claim_id = c.id`;

/** The `json_build_object` arguments for `columns` of the table aliased `table`: `'id', x.id, …`. */
function jsonOf(columns: readonly string[], table = 'x'): string {
  return columns.map((column) => `'${column}', ${table}.${column}`).join(', ');
}

/**
 * A verdict page in one statement: the claim as the lists read it (with its candidate, election and
 * topics); its published timeline, newest approval first, each entry with its visible evidence; its
 * visible evidence, newest publication first; its corrections, newest first; and the page's version as
 * PAGE_CHANGED_SQL computes it, each section's latest change taken in the same pass as its rows.
 * Written out as text so that nothing has to build it at each first view; `?` is a JSON array of slugs
 * (several readers' pages in one query when the server is busy, see verdictBySlug). The claim
 * comes back as one JSON value rather than 31 columns: the driver's work per column (describing, then
 * parsing each) was most of what reading this row cost the app.
 */
const VERDICT_SQL = `SELECT json_build_object(${jsonOf(CLAIM_COLUMNS, 'c')},
         'candidate_slug', k.slug, 'candidate_name', k.name, 'candidate_running_mate', k.running_mate,
         'election_slug', e.slug, 'election_name', e.name, 'topics', tp.topics,
         'event_slug', evt.slug, 'event_name', evt.name, 'event_kind', evt.kind, 'event_held_on', evt.held_on,
         'event_video_url', evt.video_url, 'agency', ag.agency) AS claim,
       c.explanation_html, tl.page_timeline, ev.page_evidence, co.page_corrections,
       rp.page_repeat_of, rp.page_repeats, rs.page_responses,
       pc.g AS last_modified, pc.g::text AS stamp
  FROM claims c
  -- Looked up claim by claim through their primary keys: as joins, a plan for several slugs would hash
  -- all the candidates and scan all the elections first.
  CROSS JOIN LATERAL (
    SELECT k.slug, k.name, k.running_mate, k.updated_at FROM candidates k WHERE k.id = c.candidate_id OFFSET 0) k
  CROSS JOIN LATERAL (
    SELECT e.slug, e.name, e.updated_at FROM elections e WHERE e.id = c.election_id OFFSET 0) e
  LEFT JOIN LATERAL (
    SELECT evt.slug, evt.name, evt.kind, evt.held_on, evt.video_url, evt.updated_at
      FROM events evt WHERE evt.id = c.event_id OFFSET 0) evt ON true
  LEFT JOIN LATERAL (
    SELECT json_build_object('slug', a.slug, 'name', a.name, 'short_name', a.short_name) AS agency, a.updated_at
      FROM agencies a WHERE a.id = c.agency_id OFFSET 0) ag ON true
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name), '[]'::json)
             AS topics,
           max(t.updated_at) AS changed
      FROM claim_topics ct JOIN topics t ON t.id = ct.topic_id
     WHERE ct.claim_id = c.id) tp
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('id', u.id, 'from_status', r.applied_from_status,
             'to_status', u.to_status, 'note', u.note, 'approved_at', r.created_at,
             'reason_code', u.reason_code, 'reason_text', u.reason_text,
             'evidence', coalesce((SELECT json_agg(json_build_object(${jsonOf(TIMELINE_EVIDENCE_COLUMNS)}) ORDER BY x.id)
               FROM status_update_evidence sue JOIN evidence x ON x.id = sue.evidence_id
               WHERE sue.status_update_id = u.id AND x.removed_at IS NULL), '[]'::json)) ORDER BY r.id DESC)
             FILTER (WHERE r.decision = 'approved'), '[]'::json) AS page_timeline,
           max(r.created_at) AS changed
      FROM status_updates u JOIN status_reviews r ON r.status_update_id = u.id
     WHERE u.claim_id = c.id) tl
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object(${jsonOf(PUBLIC_EVIDENCE_COLUMNS)})
             ORDER BY x.published_on DESC NULLS LAST, x.id ASC) FILTER (WHERE x.removed_at IS NULL), '[]'::json)
             AS page_evidence,
           max(x.updated_at) AS changed
      FROM evidence x
     WHERE x.claim_id = c.id) ev
  CROSS JOIN LATERAL (
    SELECT coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'note', x.note,
             'created_at', x.created_at) ORDER BY x.id DESC), '[]'::json) AS page_corrections,
           max(x.created_at) AS changed
      FROM corrections x
     WHERE x.claim_id = c.id) co
  CROSS JOIN LATERAL (${REPEATS_SQL}) rp
  CROSS JOIN LATERAL (${RESPONSES_SQL}) rs
  CROSS JOIN LATERAL (
    SELECT greatest(c.updated_at, k.updated_at, e.updated_at, tp.changed, tl.changed, ev.changed, co.changed,
                    evt.updated_at, rp.changed, ag.updated_at, rs.changed)
             AS g
    OFFSET 0) pc
 WHERE c.slug = ANY (ARRAY(SELECT json_array_elements_text(?::json)))
   AND c.workflow_state IN ('published', 'retracted')`;

/** The most verdict pages read by one query. */
const VERDICT_BATCH = 32;

/** A public claim as JSON: its timestamps are text. */
export type ClaimJson = Omit<PublicClaim, 'published_at' | 'retracted_at' | 'created_at' | 'updated_at'> & {
  published_at: string | null;
  retracted_at: string | null;
  created_at: string;
  updated_at: string;
};

/** A public claim with its whole verdict page and the page's version, read in one query. */
export interface VerdictRow extends FreshnessRow {
  claim: ClaimJson;
  /** The explanation as HTML, stored when it was saved; null when it must be rendered to be shown. */
  explanation_html: string | null;
  page_timeline: (Omit<TimelineEntry, 'approved_at'> & { approved_at: string })[];
  page_evidence: (Omit<PublicEvidence, 'created_at'> & { created_at: string })[];
  page_corrections: (Omit<PublicCorrection, 'created_at'> & { created_at: string })[];
  /** The original this claim repeats, when public. */
  page_repeat_of: RepeatRef | null;
  /** The public claims that repeat this one, in the order said. */
  page_repeats: RepeatRef[];
  /** The right of reply: the claim's responses in the order given, each with its corrections. */
  page_responses: PublicResponseJson[];
}

export function verdictRepository(
  db: Db,
  options: {
    /**
     * How many verdict-page queries may run at once before further first views wait to share the next
     * one (a policy of the wiring, which knows the pool).
     */
    queriesAtOnce: number;
  },
) {
  // First views that arrive while the database is busy share one query (src/lib/batched-reads.ts).
  const verdictBySlug = batchedReads<VerdictRow>({
    concurrency: options.queriesAtOnce,
    maxBatch: VERDICT_BATCH,
    read: verdictsBySlugs,
  });

  /** The verdict pages of several claims at once (those that exist and are public), by slug. */
  async function verdictsBySlugs(slugs: string[]): Promise<Map<string, VerdictRow>> {
    const result = await db
      .raw(VERDICT_SQL, [JSON.stringify(slugs)])
      // A named (prepared) statement on PostgreSQL: planned once per connection rather than on every
      // first view, which is most of this query's cost. The text never varies, only the slugs.
      .options({ name: 'kj_verdicts_by_slugs' });
    const rows = (result as { rows: VerdictRow[] }).rows;
    return new Map(rows.map((row) => [row.claim.slug, row]));
  }

  return {
    /**
     * When a public claim's page last changed: the claim, its candidate, election and topics, its
     * evidence, its approved status changes and its corrections. Undefined when the public may not see it.
     */
    async publicFreshness(slug: string): Promise<Freshness | undefined> {
      const row = await db
        .select({ last_modified: 's.g', stamp: db.raw('s.g::text'), id: 's.id', version: 's.version' })
        .from(
          db.raw(
            `(SELECT c.id, c.version, ${PAGE_CHANGED_SQL} AS g
              FROM claims c
              JOIN candidates k ON k.id = c.candidate_id
              JOIN elections e ON e.id = c.election_id
              WHERE c.slug = ? AND c.workflow_state IN ('published', 'retracted')) AS s`,
            [slug],
          ),
        )
        // Prepared once per connection (PostgreSQL): planning is most of this small query's cost.
        .options({ name: 'kj_verdict_freshness' })
        .first<(FreshnessRow & { id: number; version: number }) | undefined>();
      if (!row) return undefined;
      return toFreshness(row, `${row.id}:${row.version}`);
    },

    /**
     * A verdict page and what publicFreshness reads, in one query (VERDICT_SQL): how the verdict page
     * and the API's claim read a claim to be sent. While the database is busy, one query for all the
     * first views waiting (verdictsBySlugs).
     */
    verdictBySlug,
  };
}

export type VerdictRepository = ReturnType<typeof verdictRepository>;
