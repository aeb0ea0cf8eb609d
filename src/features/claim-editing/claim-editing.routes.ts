import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import { type LastEntry, redirectAfterSave } from '../../http/session';
import { ValidationError } from '../../lib/errors';
import type { Claim } from '../claims/claims.types';
import { CLAIM_KINDS, WORKFLOW_STATES } from '../claims/scales';
import type { ReferenceService } from '../election-editing/reference.service';
import type { EventsService } from '../events/events.service';
import type { SimilarClaim } from '../finder/finder.repository';
import {
  asFormText,
  type FormValues,
  formFailure,
  formValues,
  pathId,
  redirectWithFlash,
} from '../newsroom/forms';
import type { Agency } from '../term/agencies.repository';
import { CLAIM_FIELDS } from './claim-editing.schemas';
import type { ClaimEditingService, WorkflowAction } from './claim-editing.service';
import type { NewsroomClaim } from './newsroom-claims.repository';

const PAGE_SIZE = 50;
const WORKFLOW_ACTIONS: readonly WorkflowAction[] = ['submit', 'publish', 'return', 'retract'];

function storedValues(claim: NewsroomClaim): FormValues {
  const values: FormValues = {};
  for (const field of CLAIM_FIELDS)
    values[field] = asFormText((claim as unknown as Record<string, unknown>)[field]);
  values.quote_is_paraphrase = claim.quote_is_paraphrase ? 'true' : '';
  values.topics = claim.topic_ids.map(String);
  // The event is chosen in the list; the name field is only for a new one.
  values.event = '';
  values.correction_note = '';
  return values;
}

/** What the live-entry form remembers: the last election, candidate, event, date and kind used. */
function rememberEntry(req: Request, claim: Claim) {
  const entry: LastEntry = {
    election_id: String(claim.election_id),
    candidate_id: String(claim.candidate_id),
    event_id: claim.event_id === null ? '' : String(claim.event_id),
    said_on: claim.said_on ?? '',
    kind: claim.kind,
  };
  req.session.lastEntry = entry;
}

/** The claim form (new, edit, or a reader's tip made a draft) with its elections, candidates and topics. */
export async function renderClaimForm(
  deps: { reference: ReferenceService; events: EventsService; agencies: () => Promise<Agency[]> },
  res: Response,
  status: number,
  locals: Record<string, unknown>,
): Promise<void> {
  const [elections, topics, eventList, agencies] = await Promise.all([
    deps.reference.electionsWithCandidates(),
    deps.reference.topics(),
    deps.events.list(),
    deps.agencies(),
  ]);
  res.status(status).render('newsroom/claim-form', {
    errors: {},
    conflict: undefined,
    claim: undefined,
    saved: undefined,
    duplicates: [],
    confirmDuplicates: false,
    kinds: CLAIM_KINDS,
    elections,
    topics,
    events: eventList,
    agencies,
    ...locals,
  });
}

export function claimEditingRoutes(deps: {
  claimEditing: ClaimEditingService;
  reference: ReferenceService;
  events: EventsService;
  /** The existing claims a new one closely matches that the reporter has not confirmed past. */
  duplicates?: (body: unknown) => Promise<SimilarClaim[]>;
  /** The agencies a promise may name (src/features/term). */
  agencies: () => Promise<Agency[]>;
}): Router {
  const { claimEditing, reference, events, duplicates } = deps;
  const router = Router();
  const reporter = requireRole('reporter');
  const editor = requireRole('editor');

  const renderForm = (_req: Request, res: Response, status: number, locals: Record<string, unknown>) =>
    renderClaimForm({ reference, events, agencies: deps.agencies }, res, status, locals);

  router.get('/newsroom/claims', reporter, async (req, res) => {
    const state =
      typeof req.query.state === 'string' && (WORKFLOW_STATES as readonly string[]).includes(req.query.state)
        ? req.query.state
        : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    // NUL (or a value that was not UTF-8, which the query parser turns into NUL) cannot be searched for.
    if (q.includes('\u0000')) throw new ValidationError({ q: 'invalid_characters' });
    const page =
      typeof req.query.page === 'string' && /^\d{1,5}$/.test(req.query.page)
        ? Math.max(1, Number(req.query.page))
        : 1;
    const rows = await claimEditing.list({
      state,
      q: q || undefined,
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    res.render('newsroom/claims', {
      title: req.t('newsroom.claims.title'),
      claims: rows.slice(0, PAGE_SIZE),
      hasNext: rows.length > PAGE_SIZE,
      page,
      filter: { state: state ?? '', q },
      states: WORKFLOW_STATES,
      imported:
        typeof req.query.imported === 'string' && /^\d{1,5}$/.test(req.query.imported)
          ? Number(req.query.imported)
          : 0,
    });
  });

  router.get('/newsroom/claims/new', reporter, async (req, res) => {
    const last = req.session.lastEntry ?? {};
    const values = formValues({}, CLAIM_FIELDS, ['topics']);
    Object.assign(values, {
      election_id: last.election_id ?? '',
      candidate_id: last.candidate_id ?? '',
      event_id: last.event_id ?? '',
      said_on: last.said_on ?? '',
      kind: last.kind ?? '',
    });
    // The desk's "log a claim" link names its event.
    if (typeof req.query.event_id === 'string' && /^\d{1,9}$/.test(req.query.event_id)) {
      values.event_id = req.query.event_id;
    }
    const savedId = typeof req.query.saved === 'string' ? pathId(req.query.saved) : -1;
    const saved = savedId > 0 ? await claimEditing.find(savedId).catch(() => undefined) : undefined;
    await renderForm(req, res, 200, {
      title: req.t('newsroom.claim.new'),
      action: '/newsroom/claims/new',
      values,
      saved,
    });
  });

  const create = async (req: Request, res: Response) => {
    try {
      // Without the script's list while typing, a close match is shown and the reporter asked first.
      const matches = duplicates ? await duplicates(req.body) : [];
      if (matches.length > 0) {
        await renderForm(req, res, 409, {
          title: req.t('newsroom.claim.new'),
          action: '/newsroom/claims/new',
          values: formValues(req.body, CLAIM_FIELDS, ['topics']),
          duplicates: matches,
          confirmDuplicates: true,
        });
        return;
      }
      const claim = await claimEditing.create(req.body, actorOf(req));
      rememberEntry(req, claim);
      if ((req.body as Record<string, unknown>).after_save === 'open') {
        await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/claims/${claim.id}`);
        return;
      }
      await redirectAfterSave(req, res, `/newsroom/claims/new?saved=${claim.id}`);
    } catch (err) {
      const failure = formFailure(err);
      await renderForm(req, res, failure.status, {
        title: req.t('newsroom.claim.new'),
        action: '/newsroom/claims/new',
        values: formValues(req.body, CLAIM_FIELDS, ['topics']),
        errors: failure.errors,
      });
    }
  };
  router.post('/newsroom/claims/new', reporter, create);
  router.post('/newsroom/claims', reporter, create);

  router.get('/newsroom/claims/:id', reporter, async (req, res) => {
    const overview = await claimEditing.overview(pathId(req.params.id));
    res.render('newsroom/claim', {
      title: overview.claim.title || req.t('newsroom.claim.untitled'),
      ...overview,
      errors: {},
    });
  });

  router.get('/newsroom/claims/:id/edit', reporter, async (req, res) => {
    const claim = await claimEditing.forEdit(pathId(req.params.id), actorOf(req));
    await renderForm(req, res, 200, {
      title: req.t('newsroom.claim.edit'),
      action: `/newsroom/claims/${claim.id}/edit`,
      claim,
      values: storedValues(claim),
    });
  });

  router.post('/newsroom/claims/:id/edit', reporter, async (req, res) => {
    const id = pathId(req.params.id);
    try {
      await claimEditing.update(id, req.body, actorOf(req));
      await redirectWithFlash(req, res, 'newsroom.flash.saved', `/newsroom/claims/${id}`);
    } catch (err) {
      const failure = formFailure(err);
      const claim = await claimEditing.find(id);
      const values = formValues(req.body, CLAIM_FIELDS, ['topics']);
      if (failure.version !== undefined) values.version = String(failure.version);
      await renderForm(req, res, failure.status, {
        title: req.t('newsroom.claim.edit'),
        action: `/newsroom/claims/${id}/edit`,
        claim,
        values,
        errors: failure.errors,
        conflict: failure.conflict,
      });
    }
  });

  for (const action of WORKFLOW_ACTIONS) {
    const guard = action === 'submit' ? reporter : editor;
    router.post(`/newsroom/claims/:id/${action}`, guard, async (req, res) => {
      const id = pathId(req.params.id);
      try {
        await claimEditing.transition(id, action, req.body, actorOf(req));
        await redirectWithFlash(req, res, `newsroom.flash.${action}`, `/newsroom/claims/${id}`);
      } catch (err) {
        const failure = formFailure(err);
        const overview = await claimEditing.overview(id);
        res.status(failure.status).render('newsroom/claim', {
          title: overview.claim.title || req.t('newsroom.claim.untitled'),
          ...overview,
          errors: failure.conflict ? { _form: 'stale_version' } : failure.errors,
          failedAction: action,
          typedReason: typeof req.body?.retraction_reason === 'string' ? req.body.retraction_reason : '',
        });
      }
    });
  }

  router.get('/newsroom/claims/:id/history', reporter, async (req, res) => {
    const history = await claimEditing.history(pathId(req.params.id));
    res.render('newsroom/history', {
      title: req.t('newsroom.history.title'),
      ...history,
    });
  });

  return router;
}
