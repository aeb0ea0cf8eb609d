import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import type { FieldErrors } from '../../lib/errors';
import type { ClaimEditingService } from '../claim-editing/claim-editing.service';
import { RowsInvalidError } from '../claim-editing/claim-editing.service';
import type { NewsroomClaimsRepository } from '../claim-editing/newsroom-claims.repository';
import { CLAIM_CONTENT_FIELDS, CLAIM_TEXT_CONTENT_FIELDS } from '../claims/claim-columns';
import type { ReferenceRepository } from '../election-editing/reference.repository';
import type { EvidenceRepository } from '../evidence/evidence.repository';
import { EVIDENCE_EXPORT_COLUMNS } from '../evidence/evidence-columns';
import type { StatusUpdatesRepository } from '../status-updates/status-updates.repository';
import type { AgenciesRepository } from '../term/agencies.repository';
import type { Actor } from '../users/accounts';
import { detectDelimiter, toCsv } from './csv';

/** Columns of the import file. `candidate` and `election` take a slug or an id. */
export const IMPORT_COLUMNS = ['election', 'candidate', 'agency', 'kind', ...CLAIM_CONTENT_FIELDS] as const;
const REQUIRED_COLUMNS = ['candidate', 'kind', 'quote'] as const;
const ALIASES: Record<string, string> = {
  election_id: 'election',
  candidate_id: 'candidate',
  agency_id: 'agency',
};
export const MAX_IMPORT_ROWS = 2000;

export const EXPORT_COLUMNS = [
  'id',
  'slug',
  'url',
  'workflow_state',
  'status',
  'election',
  'candidate',
  'candidate_name',
  'agency',
  'kind',
  ...CLAIM_CONTENT_FIELDS,
  'retraction_reason',
  'evidence_count',
  'version',
  'created_at',
  'updated_at',
  'published_at',
  'retracted_at',
] as const;
/** Columns of our own export that an import reads past, so an export can be edited and imported. */
const EXPORT_ONLY_COLUMNS: ReadonlySet<string> = new Set(
  EXPORT_COLUMNS.filter((column) => !(IMPORT_COLUMNS as readonly string[]).includes(column)),
);

export const STATUS_UPDATE_EXPORT_COLUMNS = [
  'id',
  'claim_id',
  'claim_slug',
  'from_status',
  'to_status',
  'reason_code',
  'reason_text',
  'note',
  'evidence_ids',
  'proposed_by',
  'created_at',
  'decision',
  'applied_from_status',
  'reason',
  'reviewed_by',
  'reviewed_at',
] as const;

export interface PreviewRow {
  line: number;
  values: Record<string, string>;
  errors: FieldErrors | undefined;
}

export interface ImportPreview {
  /** Problems with the file as a whole (unreadable, missing columns, too many rows). */
  fileErrors: { key: string; params?: Record<string, string | number> }[];
  ignoredColumns: string[];
  rows: PreviewRow[];
  valid: boolean;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'ya', 'y', 'on']);
const FALSE_WORDS = new Set(['', 'false', '0', 'no', 'tidak', 'n', 'off']);

export function importsService(deps: {
  db: Knex;
  claimEditing: ClaimEditingService;
  reference: ReferenceRepository;
  claims: NewsroomClaimsRepository;
  evidence: EvidenceRepository;
  statusUpdates: StatusUpdatesRepository;
  agencies: AgenciesRepository;
  baseUrl: string;
}) {
  const { db, claimEditing, reference } = deps;

  function read(text: string): {
    preview: ImportPreview;
    records: { line: number; values: Record<string, string> }[];
  } {
    const preview: ImportPreview = { fileErrors: [], ignoredColumns: [], rows: [], valid: false };
    if (text.trim() === '') {
      preview.fileErrors.push({ key: 'empty' });
      return { preview, records: [] };
    }
    let parsed: { record: Record<string, string>; info: { lines: number } }[];
    let headers: string[] = [];
    try {
      parsed = parse(text, {
        bom: true,
        delimiter: detectDelimiter(text),
        columns: (header: string[]) => {
          headers = header.map((h) => {
            const name = h.trim().toLowerCase();
            return ALIASES[name] ?? name;
          });
          return headers;
        },
        skip_empty_lines: true,
        info: true,
      }) as { record: Record<string, string>; info: { lines: number } }[];
    } catch (err) {
      const line = (err as { lines?: number }).lines;
      preview.fileErrors.push({ key: 'unreadable', params: { line: line ?? 1 } });
      return { preview, records: [] };
    }
    const unknown = headers.filter(
      (h) => !(IMPORT_COLUMNS as readonly string[]).includes(h) && !EXPORT_ONLY_COLUMNS.has(h),
    );
    if (unknown.length > 0)
      preview.fileErrors.push({ key: 'unknown_columns', params: { columns: unknown.join(', ') } });
    const missing = REQUIRED_COLUMNS.filter((c) => !headers.includes(c));
    if (missing.length > 0)
      preview.fileErrors.push({ key: 'missing_columns', params: { columns: missing.join(', ') } });
    if (parsed.length === 0) preview.fileErrors.push({ key: 'no_rows' });
    if (parsed.length > MAX_IMPORT_ROWS)
      preview.fileErrors.push({ key: 'too_many_rows', params: { max: MAX_IMPORT_ROWS } });
    preview.ignoredColumns = headers.filter((h) => EXPORT_ONLY_COLUMNS.has(h));
    const records = parsed.slice(0, MAX_IMPORT_ROWS).map(({ record, info }) => {
      const values: Record<string, string> = {};
      for (const column of IMPORT_COLUMNS) values[column] = record[column] ?? '';
      return { line: info.lines, values };
    });
    return { preview, records };
  }

  /** A row as the claim form would have posted it, with slugs turned into ids; plus lookup errors. */
  async function toFormInput(
    trx: Knex,
    values: Record<string, string>,
  ): Promise<{ input: Record<string, unknown>; errors: FieldErrors }> {
    const errors: FieldErrors = {};
    const input: Record<string, unknown> = { kind: values.kind?.trim().toLowerCase() };
    for (const field of CLAIM_TEXT_CONTENT_FIELDS) input[field] = values[field];
    const paraphrase = (values.quote_is_paraphrase ?? '').trim().toLowerCase();
    if (TRUE_WORDS.has(paraphrase)) input.quote_is_paraphrase = 'true';
    else if (!FALSE_WORDS.has(paraphrase)) errors.quote_is_paraphrase = 'invalid';

    const candidateRef = (values.candidate ?? '').trim();
    let electionOfCandidate: number | undefined;
    if (candidateRef === '') errors.candidate = 'required';
    else {
      const candidate = await reference.findCandidateByRef(trx, candidateRef);
      if (candidate) {
        input.candidate_id = String(candidate.id);
        electionOfCandidate = candidate.election_id;
      } else errors.candidate = 'unknown_candidate';
    }
    // The agency is one of the candidate's election's: by slug, short name, name or id.
    const agencyRef = (values.agency ?? '').trim();
    if (agencyRef !== '' && electionOfCandidate !== undefined) {
      const agency = await deps.agencies.findByRef(trx, electionOfCandidate, agencyRef);
      if (agency) input.agency_id = String(agency.id);
      else errors.agency = 'unknown_agency';
    }
    const electionRef = (values.election ?? '').trim();
    if (electionRef !== '') {
      const election = await reference.findElectionByRef(trx, electionRef);
      if (election) input.election_id = String(election.id);
      else errors.election = 'unknown_election';
    }
    const topicRefs = (values.topics ?? '')
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean);
    if (topicRefs.length > 0) {
      const topics = await reference.findTopicsBySlugs(trx, topicRefs);
      const bySlug = new Map(topics.map((t) => [t.slug, t.id]));
      if (topicRefs.some((ref) => !bySlug.has(ref))) errors.topics = 'unknown_topic';
      input.topics = topicRefs.map((ref) => String(bySlug.get(ref) ?? ''));
    }
    return { input, errors };
  }

  /** The form's field names back to the file's column names, for messages. */
  function asColumnErrors(errors: FieldErrors): FieldErrors {
    const out: FieldErrors = {};
    for (const [field, key] of Object.entries(errors)) {
      const column = field.endsWith('_id') && ALIASES[field] ? ALIASES[field] : field;
      out[column] ??= key;
    }
    return out;
  }

  async function validate(text: string) {
    const { preview, records } = read(text);
    const inputs: Record<string, unknown>[] = [];
    const lookupErrors: FieldErrors[] = [];
    await db.transaction(async (trx) => {
      for (const record of records) {
        const { input, errors } = await toFormInput(trx, record.values);
        inputs.push(input);
        lookupErrors.push(errors);
      }
    });
    const formErrors = records.length > 0 ? await claimEditing.check(inputs) : [];
    preview.rows = records.map((record, i) => {
      // An unknown candidate also fails the form's candidate check: the lookup's message is the clearer one.
      const merged = { ...asColumnErrors(formErrors[i] ?? {}), ...lookupErrors[i] };
      return {
        line: record.line,
        values: record.values,
        errors: Object.keys(merged).length > 0 ? merged : undefined,
      };
    });
    preview.valid = preview.fileErrors.length === 0 && preview.rows.every((r) => !r.errors);
    return { preview, inputs };
  }

  return {
    /** What an import would do, row by row, without writing anything. */
    async preview(text: string): Promise<ImportPreview> {
      return (await validate(text)).preview;
    },

    /** All rows become drafts, or none does: the whole file is checked again and saved in one transaction. */
    async commit(text: string, actor: Actor): Promise<{ preview: ImportPreview; created: number }> {
      const { preview, inputs } = await validate(text);
      if (!preview.valid) return { preview, created: 0 };
      try {
        const created = await claimEditing.createMany(inputs, actor);
        return { preview, created: created.length };
      } catch (err) {
        if (err instanceof RowsInvalidError) {
          // Something changed between the check and the save (a candidate removed): report it the same way.
          preview.rows = preview.rows.map((row, i) => ({
            ...row,
            errors: err.rows[i] ? asColumnErrors(err.rows[i]!) : undefined,
          }));
          preview.valid = false;
          return { preview, created: 0 };
        }
        throw err;
      }
    },

    async exportClaims(): Promise<string> {
      const rows = await deps.claims.exportRows();
      return toCsv(
        EXPORT_COLUMNS,
        rows.map((row) => ({
          ...row,
          url: `${deps.baseUrl}/claims/${row.slug}`,
          election: row.election_slug,
          candidate: row.candidate_slug,
          agency: row.agency_slug,
          event: row.event_name,
          topics: row.topic_slugs,
        })),
      );
    },

    async exportEvidence(): Promise<string> {
      return toCsv(EVIDENCE_EXPORT_COLUMNS, await deps.evidence.exportRows());
    },

    async exportStatusUpdates(): Promise<string> {
      return toCsv(STATUS_UPDATE_EXPORT_COLUMNS, await deps.statusUpdates.exportRows());
    },
  };
}

export type ImportsService = ReturnType<typeof importsService>;
