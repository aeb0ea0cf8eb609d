import { z } from 'zod';
import { isCalendarDate } from '../../lib/dates';
import { CLAIM_SORTS, type ClaimCursor, type ClaimFilters, type ClaimSort } from './claims.types';
import { ALL_STATUSES, CLAIM_KINDS, type ClaimKind, type ClaimStatus } from './scales';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_QUERY_LENGTH = 200;
export const MAX_VALUES_PER_FILTER = 10;
/** `?page=` skips rows one by one; deeper than this, the cursor of the next links is the way on. */
export const MAX_PAGE = 500;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const slug = z.string().max(100).regex(SLUG_PATTERN, 'invalid_slug');

/**
 * A filter given once (`?status=true`), repeated (`?status=true&status=false`, an array from Express's
 * simple query parser) or left empty by a form (`?status=`): always a list of distinct values.
 */
function many<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => {
      if (value === undefined) return [];
      const values = Array.isArray(value) ? value : [value];
      return [...new Set(values.filter((v) => v !== ''))];
    },
    z.array(item).max(MAX_VALUES_PER_FILTER, 'too_many_values'),
  );
}

/** A parameter that must be given at most once; an empty value counts as not given. */
function once<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), item.optional());
}

const listQuerySchema = z.object({
  q: once(
    z
      .string()
      // Line breaks pasted into the box are spaces; other control characters (NUL…) are nonsense.
      .transform((value) => value.replace(/[\t\n\r]+/g, ' ').trim())
      .pipe(
        z
          .string()
          .max(MAX_QUERY_LENGTH, 'too_long')
          .regex(/^[^\u0000-\u001f\u007f]*$/, 'invalid_characters'),
      ),
  ),
  election: many(slug),
  candidate: many(slug),
  kind: many(z.enum(CLAIM_KINDS)),
  status: many(z.enum(ALL_STATUSES as [ClaimStatus, ...ClaimStatus[]])),
  topic: many(slug),
  sort: once(z.enum(CLAIM_SORTS)),
  page: once(
    z
      .string()
      .regex(/^\d{1,4}$/, 'invalid_page')
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_PAGE)),
  ),
  cursor: once(z.string().max(300)),
  per_page: once(
    z
      .string()
      .regex(/^\d{1,3}$/, 'invalid_number')
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE)),
  ),
});

/** A list request as the service reads it: filters, the sort, and where the page starts. */
export interface ListRequest {
  filters: ClaimFilters;
  sort: ClaimSort;
  /** Whether the sort was chosen, rather than the default: links keep it only then. */
  sortGiven: boolean;
  after?: ClaimCursor | undefined;
  page: number;
  perPage: number;
}

export type ListQueryResult = { ok: true; request: ListRequest } | { ok: false; invalid: string[] };

/**
 * Reads /claims, /claims.csv and /api/v1/claims query strings. Unknown parameters (utm_source, lang…)
 * are ignored; known ones with nonsense in them are reported by name, never passed on.
 */
export function parseListQuery(query: Record<string, unknown>): ListQueryResult {
  // `status[]=kept` or `q[a]=…` means one of our filters written the way some frameworks do: ignoring it
  // would show every claim as if filtered, so it is refused by name (a repeated plain name is the list).
  const known = Object.keys(listQuerySchema.shape);
  const bracketed = Object.keys(query).filter(
    (name) => known.includes(name.replace(/\[.*$/, '')) && name.includes('['),
  );
  if (bracketed.length > 0) return { ok: false, invalid: bracketed.map((name) => name.replace(/\[.*$/, '')) };
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) {
    const invalid = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'query')))];
    return { ok: false, invalid };
  }
  const data = parsed.data;
  const sort = data.sort ?? 'updated';
  let after: ClaimCursor | undefined;
  if (data.cursor !== undefined) {
    after = decodeCursor(data.cursor);
    if (!after || after.sort !== sort) return { ok: false, invalid: ['cursor'] };
  }
  return {
    ok: true,
    request: {
      filters: {
        q: data.q || undefined,
        elections: data.election,
        candidates: data.candidate,
        kinds: data.kind as ClaimKind[],
        statuses: data.status as ClaimStatus[],
        topics: data.topic,
      },
      sort,
      sortGiven: data.sort !== undefined,
      after,
      page: after ? 1 : (data.page ?? 1),
      perPage: data.per_page ?? DEFAULT_PAGE_SIZE,
    },
  };
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

const cursorSchema = z.tuple([
  z.enum(CLAIM_SORTS),
  z.string().max(64),
  z.number().int().positive().max(2_147_483_647),
]);

/** A cursor is opaque to readers: base64url of [sort, key, id]. */
export function encodeCursor(cursor: ClaimCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): ClaimCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const [sort, key, id] = parsed.data;
  if (sort === 'updated' && !TIMESTAMP_TEXT.test(key)) return undefined;
  if (sort === 'said' && key !== '-infinity' && !isCalendarDate(key)) return undefined;
  return { sort, key, id };
}

/** Query parameters for a list, in a fixed order, so that equal lists have equal URLs. */
export function listParams(
  filters: ClaimFilters,
  extra: { sort?: ClaimSort | undefined; cursor?: string | undefined; per_page?: number | undefined } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q) params.append('q', filters.q);
  for (const value of filters.elections) params.append('election', value);
  for (const value of filters.candidates) params.append('candidate', value);
  for (const value of filters.kinds) params.append('kind', value);
  for (const value of filters.statuses) params.append('status', value);
  for (const value of filters.topics) params.append('topic', value);
  if (extra.sort) params.append('sort', extra.sort);
  if (extra.per_page) params.append('per_page', String(extra.per_page));
  if (extra.cursor) params.append('cursor', extra.cursor);
  return params;
}

export function withQuery(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export function hasFilters(filters: ClaimFilters): boolean {
  return Boolean(
    filters.q ||
      filters.elections.length ||
      filters.candidates.length ||
      filters.kinds.length ||
      filters.statuses.length ||
      filters.topics.length,
  );
}

export function isSlug(value: string): boolean {
  return value.length <= 100 && SLUG_PATTERN.test(value);
}

export function emptyFilters(): ClaimFilters {
  return { elections: [], candidates: [], kinds: [], statuses: [], topics: [] };
}
