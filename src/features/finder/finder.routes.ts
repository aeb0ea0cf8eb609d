import { type Request, type Response, Router } from 'express';
import { actorOf, requireRole } from '../../http/auth';
import type { Translate } from '../../lib/i18n';
import { RowsInvalidError } from '../claim-editing/claim-editing.service';
import { CLAIM_KINDS } from '../claims/scales';
import { formFailure, formValues, redirectWithFlash } from '../newsroom/forms';
import type { SimilarClaim } from './finder.repository';
import {
  FINDER_CONTEXT_FIELDS,
  MAX_FINDER_FILE_BYTES,
  MAX_FINDER_WORDS,
  MAX_SUGGESTIONS,
  SUGGESTION_FIELDS,
} from './finder.schemas';
import type { FinderResult, FinderService, FinderSuggestion, FinderUpload } from './finder.service';

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** A suggestion as scripts read it (the contract in PRODUCT.md), reasons written out in the request's language. */
export function presentSuggestion(s: FinderSuggestion, t: Translate) {
  return {
    quote: s.quote,
    speaker: s.speakerName,
    candidate: s.candidate
      ? { id: s.candidate.id, name: s.candidate.name, running_mate: s.candidate.running_mate }
      : null,
    kind: s.kind,
    score: s.score,
    reasons: s.reasons.map((r) => ({ code: r.code, points: r.points, text: t(`finder.reason.${r.code}`) })),
    moment: s.moment,
    is_paraphrase: s.isParaphrase,
    origin: s.origin,
    duplicates: s.duplicates.map((d) => presentDuplicate(d, t)),
  };
}

/** An existing claim a text may duplicate, as scripts and the claim form's script read it. */
export function presentDuplicate(d: SimilarClaim, t: Translate) {
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    quote: d.quote.length > 200 ? `${d.quote.slice(0, 200)}…` : d.quote,
    candidate_name: d.candidate_name,
    status: d.status,
    status_label: t(`status.${d.status}`),
    workflow_state: d.workflow_state,
    workflow_label: t(`workflow.${d.workflow_state}`),
    repeat_of: d.repeat_of,
    url: `/newsroom/claims/${d.id}`,
    similarity: d.similarity,
  };
}

/** Every value of the save form, as posted, so that a refused save shows exactly what was typed. */
function postedRows(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const source = (body ?? {}) as Record<string, unknown>;
  for (let n = 0; n < MAX_SUGGESTIONS; n += 1) {
    for (const field of [...SUGGESTION_FIELDS]) {
      const value = source[`${field}_${n}`];
      if (typeof value === 'string') values[`${field}_${n}`] = value;
    }
  }
  const keep = Array.isArray(source.keep) ? source.keep : [source.keep];
  for (const k of keep) if (typeof k === 'string') values[`keep_${k}`] = 'on';
  return values;
}

export function finderRoutes(deps: { finder: FinderService }): Router {
  const { finder } = deps;
  const router = Router();
  const reporter = requireRole('reporter');

  async function render(
    req: Request,
    res: Response,
    status: number,
    locals: {
      values: Record<string, string | string[]>;
      result?: FinderResult;
      errors?: Record<string, string>;
      rowErrors?: (Record<string, string> | undefined)[];
      posted?: Record<string, string>;
    },
  ) {
    const [elections, events] = await Promise.all([finder.electionsWithCandidates(), finder.events()]);
    res.status(status).render('newsroom/finder', {
      title: req.t('finder.title'),
      elections,
      events,
      kinds: CLAIM_KINDS,
      maxWords: MAX_FINDER_WORDS,
      maxMegabytes: MAX_FINDER_FILE_BYTES / (1024 * 1024),
      errors: {},
      rowErrors: [],
      posted: undefined,
      result: undefined,
      ...locals,
    });
  }

  router.get('/newsroom/finder', reporter, async (req, res) => {
    await render(req, res, 200, { values: formValues({}, [...FINDER_CONTEXT_FIELDS, 'text']) });
  });

  router.post('/newsroom/finder', reporter, async (req, res) => {
    const file = (req as Request & { file?: FinderUpload }).file;
    const values = formValues(req.body, [...FINDER_CONTEXT_FIELDS, 'text']);
    try {
      const result = await finder.analyse(req.body, file);
      if (wantsJson(req)) {
        res.json({ suggestions: result.suggestions.map((s) => presentSuggestion(s, req.t)) });
        return;
      }
      await render(req, res, 200, { values, result });
    } catch (err) {
      if (wantsJson(req)) throw err;
      const failure = formFailure(err);
      await render(req, res, failure.status, { values, errors: failure.errors });
    }
  });

  // The claim form's script asks, as the reporter types, which claims the quote and title may duplicate.
  router.get('/newsroom/finder/similar', reporter, async (req, res) => {
    const found = await finder.similarToTyped(req.query as Record<string, unknown>);
    res.set('Cache-Control', 'no-store');
    res.json({ duplicates: found.map((d) => presentDuplicate(d, req.t)) });
  });

  router.post('/newsroom/finder/save', reporter, async (req, res) => {
    try {
      const saved = await finder.save(req.body, actorOf(req));
      await redirectWithFlash(
        req,
        res,
        'finder.flash.saved',
        `/newsroom/claims?state=draft&found=${saved.length}`,
      );
    } catch (err) {
      const values = formValues(req.body, [...FINDER_CONTEXT_FIELDS, 'text']);
      const rowErrors = err instanceof RowsInvalidError ? err.rows : [];
      const failure = formFailure(err);
      // The list again from the same text, with what was typed and ticked in it.
      const result = await finder.analyse(req.body).catch(() => undefined);
      await render(req, res, failure.status, {
        values,
        result,
        errors: failure.errors,
        rowErrors,
        posted: postedRows(req.body),
      });
    }
  });

  return router;
}
