import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../../lib/errors';
import { slugify } from '../../lib/slug';
import { parseOrThrow } from '../../lib/validation';
import { type AuditRepository, recordAudit } from '../audit/audit.repository';
import type { Candidate, Election } from '../elections/elections.repository';
import { staleVersionError } from '../newsroom/stale';
import type { Actor } from '../users/accounts';
import { type AgenciesRepository, type Agency, freeScopedSlug } from './agencies.repository';
import {
  AGENCY_FIELDS,
  agencyEditSchema,
  agencySchema,
  reportCorrectionSchema,
  reportSchema,
  winnerSchema,
} from './desk.schemas';
import { buildSnapshot, type Milestone } from './reports';
import type {
  ListedReport,
  MilestoneReport,
  ReportCorrection,
  ReportsRepository,
} from './reports.repository';

export interface TermDesk {
  election: Election;
  candidates: (Candidate & { reports: ListedReport[] })[];
  agencies: Agency[];
}

/** The first moment after a calendar day (UTC, the zone timestamps are kept in). */
export function endOfDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

/**
 * The newsroom's side of a term: the winning ticket, the election's agencies, and milestone reports
 * (published once, then only corrected in public). Editors only; every write is audited.
 */
export function termDeskService(deps: {
  db: Knex;
  agencies: AgenciesRepository;
  reports: ReportsRepository;
  audit: AuditRepository;
  now?: () => Date;
}) {
  const { db, agencies, reports, audit } = deps;
  const now = deps.now ?? (() => new Date());

  function audited(
    trx: Knex,
    actor: Actor,
    action: string,
    entity: string,
    id: number,
    before: unknown,
    after: unknown,
  ) {
    return recordAudit(trx, {
      actorId: actor.id,
      action,
      entity,
      entityId: id,
      before,
      after,
      requestId: actor.requestId,
    });
  }

  async function election(id: number, trx: Knex = db): Promise<Election> {
    const row = await trx<Election>('elections').where({ id }).first();
    if (!row) throw new NotFoundError();
    return row;
  }

  async function candidate(id: number, trx: Knex = db): Promise<Candidate> {
    const row = await trx<Candidate>('candidates').where({ id }).first();
    if (!row) throw new NotFoundError();
    return row;
  }

  return {
    election,
    candidate,

    async desk(electionId: number): Promise<TermDesk> {
      const found = await election(electionId);
      const [candidates, list] = await Promise.all([
        db<Candidate>('candidates')
          .where({ election_id: electionId })
          .orderBy([{ column: 'ballot_number', order: 'asc', nulls: 'last' }, { column: 'name' }]),
        agencies.ofElection(electionId),
      ]);
      const withReports = await Promise.all(
        candidates.map(async (c) => ({ ...c, reports: await reports.ofCandidate(c.id) })),
      );
      return { election: found, candidates: withReports, agencies: list };
    },

    /** Marks the ticket that won (or none): at most one per election, the database says so too. */
    async setWinner(electionId: number, input: unknown, actor: Actor): Promise<void> {
      const { candidate_id } = parseOrThrow(winnerSchema, input);
      await db.transaction(async (trx) => {
        await election(electionId, trx);
        if (candidate_id !== null) {
          const chosen = await trx<Candidate>('candidates').where({ id: candidate_id }).first();
          if (!chosen || chosen.election_id !== electionId) {
            throw new ValidationError({ candidate_id: 'candidate_not_in_election' });
          }
        }
        const before = await trx<Candidate>('candidates')
          .where({ election_id: electionId, is_winner: true })
          .first();
        if ((before?.id ?? null) === candidate_id) return;
        const bump = { version: trx.raw('version + 1'), updated_at: trx.fn.now() };
        if (before)
          await trx('candidates')
            .where({ id: before.id })
            .update({ is_winner: false, ...bump });
        if (candidate_id !== null) {
          await trx('candidates')
            .where({ id: candidate_id })
            .update({ is_winner: true, ...bump });
        }
        await audited(
          trx,
          actor,
          'election.winner',
          'election',
          electionId,
          { winner: before?.id ?? null },
          { winner: candidate_id },
        );
      });
    },

    async agency(id: number): Promise<Agency & { election: Election }> {
      const row = await agencies.find(id);
      if (!row) throw new NotFoundError();
      return { ...row, election: await election(row.election_id) };
    },

    async createAgency(electionId: number, input: unknown, actor: Actor): Promise<Agency> {
      const fields = parseOrThrow(agencySchema, input);
      return db.transaction(async (trx) => {
        await election(electionId, trx);
        if (await agencies.nameTaken(trx, electionId, fields.name))
          throw new ValidationError({ name: 'agency_exists' });
        const base = slugify(fields.short_name ?? fields.name, 60) || 'opd';
        const row = await agencies.insert(trx, electionId, fields, base);
        await audited(trx, actor, 'agency.create', 'agency', row.id, undefined, row);
        return row;
      });
    },

    async updateAgency(id: number, input: unknown, actor: Actor): Promise<Agency> {
      const { version, ...fields } = parseOrThrow(agencyEditSchema, input);
      return db.transaction(async (trx) => {
        const before = await agencies.find(id, trx);
        if (!before) throw new NotFoundError();
        if (before.version !== version) {
          throw await staleVersionError(trx, audit, 'agency', before, version, AGENCY_FIELDS);
        }
        if (await agencies.nameTaken(trx, before.election_id, fields.name, id)) {
          throw new ValidationError({ name: 'agency_exists' });
        }
        const after = await agencies.update(trx, id, version, fields);
        if (!after) throw await staleVersionError(trx, audit, 'agency', before, version, AGENCY_FIELDS);
        await audited(trx, actor, 'agency.update', 'agency', id, before, after);
        return after;
      });
    },

    /**
     * Publishes a milestone report: the candidate's scoreboard and every promise's status as they stood
     * at the end of `as_of`, frozen in the row. Dates only move forward (each report after the last) and
     * never past today, so that "since the previous report" means one thing.
     */
    async publishReport(candidateId: number, input: unknown, actor: Actor): Promise<MilestoneReport> {
      const fields = parseOrThrow(reportSchema, input);
      const today = now().toISOString().slice(0, 10);
      if (fields.as_of > today) throw new ValidationError({ as_of: 'report_in_future' });
      return db.transaction(async (trx) => {
        const ticket = await candidate(candidateId, trx);
        // One report at a time per ticket: the row lock orders two editors publishing at once.
        await trx('candidates').where({ id: ticket.id }).forUpdate().first();
        const [latest] = await reports.ofCandidate(ticket.id, trx);
        if (latest && fields.as_of <= latest.as_of)
          throw new ValidationError({ as_of: 'report_not_after_previous' });
        const snapshot = buildSnapshot(
          fields.as_of,
          await reports.claimsAt(trx, ticket.id, endOfDay(fields.as_of)),
        );
        const slug = await freeScopedSlug(
          trx,
          'milestone_reports',
          { candidate_id: ticket.id },
          slugify(fields.title, 60) || 'rapor',
        );
        const report = await reports.insert(trx, {
          candidate_id: ticket.id,
          slug,
          milestone: fields.milestone as Milestone,
          title: fields.title,
          as_of: fields.as_of,
          intro: fields.intro,
          snapshot,
          previous_id: latest?.id ?? null,
          published_by: actor.id,
        });
        await audited(trx, actor, 'report.publish', 'milestone_report', report.id, undefined, {
          ...report,
          snapshot: { as_of: snapshot.as_of, promises: snapshot.promises.length },
        });
        return report;
      });
    },

    async report(
      id: number,
    ): Promise<MilestoneReport & { candidate: Candidate; corrections: ReportCorrection[] }> {
      const row = await reports.find(id);
      if (!row) throw new NotFoundError();
      return {
        ...row,
        candidate: await candidate(row.candidate_id),
        corrections: await reports.corrections(id),
      };
    },

    /** A public correction: a note, and the introduction as corrected when it changes. */
    async correctReport(id: number, input: unknown, actor: Actor): Promise<ReportCorrection> {
      const fields = parseOrThrow(reportCorrectionSchema, input);
      return db.transaction(async (trx) => {
        const row = await reports.find(id, trx);
        if (!row) throw new NotFoundError();
        const earlier = await reports.corrections(id, trx);
        const current = [...earlier].reverse().find((c) => c.intro !== null)?.intro ?? row.intro;
        const correction = await reports.insertCorrection(trx, {
          report_id: id,
          note: fields.note,
          // Only a changed introduction is stored: the note alone otherwise.
          intro: fields.intro !== null && fields.intro !== current ? fields.intro : null,
          created_by: actor.id,
        });
        await audited(trx, actor, 'report.correct', 'milestone_report', id, undefined, correction);
        return correction;
      });
    },
  };
}

export type TermDeskService = ReturnType<typeof termDeskService>;
