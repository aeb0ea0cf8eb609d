import type { NextFunction, Request, Response } from 'express';
import { type DateStyle, formatDate } from '../lib/dates';
import { DEFAULT_LANG, isLang, LANGUAGES, type Lang, translator } from '../lib/i18n';

export const LANG_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * The page language: `?lang=` (remembered in a cookie), else the cookie, else Accept-Language,
 * else Indonesian. Puts the translator and date formatter where views and handlers find them.
 */
export function language(options: { secureCookies: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = req.query.lang;
    let lang: Lang;
    if (isLang(fromQuery)) {
      lang = fromQuery;
      if (req.cookies?.[LANG_COOKIE] !== lang) {
        res.cookie(LANG_COOKIE, lang, {
          maxAge: ONE_YEAR_MS,
          sameSite: 'lax',
          httpOnly: true,
          secure: options.secureCookies,
        });
      }
    } else if (isLang(req.cookies?.[LANG_COOKIE])) {
      lang = req.cookies[LANG_COOKIE];
    } else {
      const accepted = req.acceptsLanguages(...LANGUAGES);
      lang = isLang(accepted) ? accepted : DEFAULT_LANG;
    }
    req.lang = lang;
    req.t = translator(lang);
    res.vary('Accept-Language');
    res.vary('Cookie');
    res.locals.lang = lang;
    res.locals.t = req.t;
    res.locals.formatDate = (value: string | Date | null | undefined, style?: DateStyle) =>
      formatDate(value, lang, style);
    res.locals.langUrl = (target: Lang) => withLang(req.originalUrl, target);
    next();
  };
}

/** The same path and query with `lang` set: for the language switcher. */
export function withLang(originalUrl: string, lang: Lang): string {
  const url = new URL(originalUrl, 'http://local');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}
