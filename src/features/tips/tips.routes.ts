import { type Request, type Response, Router } from 'express';
import type { DoubleSubmitCsrf } from '../../http/csrf';
import { TooManyRequestsError, ValidationError } from '../../lib/errors';
import { readerFormBody, readerPage, throttledPage, useFormLanguage } from '../following/public-forms';
import { HONEYPOT_FIELD, MAX_LINKS_IN_TEXT, TIP_FIELDS } from './tips.schemas';
import type { TipsService } from './tips.service';

type TipValues = Partial<Record<(typeof TIP_FIELDS)[number], string>>;

/** Only the form's own fields, as single strings, go back into the form. */
function valuesOf(body: unknown): TipValues {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: TipValues = {};
  for (const field of TIP_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

/** `/tips`: a reader suggests a claim to check, or sends evidence about a published claim. */
export function tipsRoutes(deps: { tips: TipsService; csrf: DoubleSubmitCsrf; baseUrl: string }): Router {
  const { tips, csrf } = deps;
  const router = Router();

  async function form(req: Request, res: Response, status: number, values: TipValues, errors = {}) {
    const about = await tips.claimLabel(values.claim);
    res.set('Cache-Control', 'no-store');
    res.status(status).render('tips/form', {
      title: req.t('tips.title'),
      canonical: `${deps.baseUrl}/tips`,
      csrfToken: csrf.issue(req, res),
      values: { kind: about ? 'evidence' : 'claim', ...values },
      about,
      errors,
      honeypot: HONEYPOT_FIELD,
      maxLinks: MAX_LINKS_IN_TEXT,
    });
  }

  router.get('/tips', async (req, res) => {
    const claim = typeof req.query.claim === 'string' ? req.query.claim : undefined;
    await form(req, res, 200, claim ? { claim } : {});
  });

  router.post('/tips', ...readerFormBody, async (req, res) => {
    useFormLanguage(req, res);
    const { t } = req;
    if (!csrf.verify(req)) {
      req.log?.warn({ path: req.path }, 'tip form token missing or wrong');
      readerPage(res, 403, {
        title: t('tips.stale.title'),
        lines: [t('tips.stale.body')],
        link: { href: '/tips', label: t('tips.title') },
      });
      return;
    }
    try {
      const receipt = await tips.submit({ body: req.body, lang: req.lang, ip: req.ip ?? '' });
      readerPage(res, 200, {
        title: t('tips.thanks.title'),
        lines: [t('tips.thanks.body'), ...(receipt.withEmail ? [t('tips.thanks.email')] : [])],
        link: { href: '/', label: t('site.name') },
      });
    } catch (err) {
      if (err instanceof TooManyRequestsError) {
        throttledPage(res, t, err);
        return;
      }
      if (err instanceof ValidationError) {
        await form(req, res, 400, valuesOf(req.body), err.fieldErrors);
        return;
      }
      throw err;
    }
  });

  return router;
}
