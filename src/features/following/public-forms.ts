import express, { type NextFunction, type Request, type Response } from 'express';
import { formBodiesOnly, verifyFormEncoding } from '../../http/limits';
import { ForbiddenError, type TooManyRequestsError } from '../../lib/errors';
import { isLang, type Translate, translator } from '../../lib/i18n';

/** Readers' forms are short: a few fields of at most a few thousand characters. */
const MAX_READER_FORM_BYTES = 32 * 1024;

/** Parses a reader's form (urlencoded, UTF-8, small) and nothing else. */
export const readerFormBody = [
  formBodiesOnly,
  express.urlencoded({
    extended: false,
    limit: MAX_READER_FORM_BYTES,
    parameterLimit: 30,
    verify: verifyFormEncoding,
  }),
];

/**
 * CSRF defence for readers' forms that sit on public pages served from the page cache, which cannot
 * carry a token of the reader's own: a browser says where a form was sent from (Sec-Fetch-Site, else
 * Origin), and a form sent from another site is refused. A request that says neither (a script, an old
 * browser) carries no reader's credentials either: these forms act only for the address typed in them,
 * and every such action is confirmed by email. The one-click unsubscribe is left out on purpose: mail
 * providers POST it from their own servers, and its token is its authentication (RFC 8058).
 */
export function sameSiteOnly(baseUrl: string) {
  const ours = new URL(baseUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string') {
      if (site === 'same-origin' || site === 'none') return next();
      return next(new ForbiddenError('cross_site_form'));
    }
    const origin = req.headers.origin;
    if (origin === undefined || origin === ours || origin === `${req.protocol}://${req.get('host')}`)
      return next();
    next(new ForbiddenError('cross_site_form'));
  };
}

/**
 * A reader's form carries the language of the page it was on (`lang`): it becomes the language of what
 * the form starts (a follow, a tip's emails) and of the answer.
 */
export function useFormLanguage(req: Request, res: Response): void {
  const lang = (req.body as Record<string, unknown> | undefined)?.lang;
  if (isLang(lang) && lang !== req.lang) {
    req.lang = lang;
    req.t = translator(lang);
    res.locals.lang = lang;
    res.locals.t = req.t;
  }
}

/** A reader's page of a few lines (and a button or a link): never cached, never indexed. */
export function readerPage(res: Response, status: number, locals: Record<string, unknown>): void {
  res.set('Cache-Control', 'no-store');
  res.set('X-Robots-Tag', 'noindex');
  res.status(status).render('following/page', { lines: [], button: undefined, link: undefined, ...locals });
}

/** 429 with Retry-After, and the minutes to wait in the reader's language. */
export function throttledPage(res: Response, t: Translate, err: TooManyRequestsError): void {
  res.set('Retry-After', String(err.retryAfterSeconds));
  readerPage(res, 429, {
    title: t('error.too_many_requests.title'),
    lines: [t('reader.throttled', { minutes: Math.ceil(err.retryAfterSeconds / 60) })],
  });
}
