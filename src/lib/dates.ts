// One module per function and locale: the package's index (and every locale) would cost the server
// about 55 MB of memory for three functions and two locales.
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { enGB } from 'date-fns/locale/en-GB';
import { id as idLocale } from 'date-fns/locale/id';
import { parseISO } from 'date-fns/parseISO';
import type { Lang } from './i18n';

const LOCALES = { id: idLocale, en: enGB } as const;

export type DateStyle = 'long' | 'weekday' | 'short' | 'month';

const PATTERNS: Record<DateStyle, string> = {
  long: 'd MMMM yyyy',
  weekday: 'EEEE, d MMMM yyyy',
  short: 'd MMM yyyy',
  month: 'MMM yyyy',
};

/**
 * The one place dates become text. Calendar dates ('YYYY-MM-DD') are formatted as the day they name;
 * timestamps are shown as their day in UTC, the zone the database keeps them in.
 */
export function formatDate(
  value: string | Date | null | undefined,
  lang: Lang,
  style: DateStyle = 'long',
): string {
  if (value === null || value === undefined || value === '') return '';
  // The text depends only on the calendar day, the style and the language: each is formatted once.
  const day = typeof value === 'string' ? `s${value}` : utcDayKey(value);
  if (day === undefined) return '';
  const key = `${lang} ${style} ${day}`;
  let text = formatted.get(key);
  if (text === undefined) {
    const date = typeof value === 'string' ? parseISO(value) : utcCalendarDay(value);
    text = isValid(date) ? format(date, PATTERNS[style], { locale: LOCALES[lang] }) : '';
    if (formatted.size >= MAX_FORMATTED) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/**
 * Days already written out, by language, style and day: a few MB when full (about thirteen years of days
 * in both languages and all three styles), then it starts over.
 */
const formatted = new Map<string, string>();
const MAX_FORMATTED = 30_000;

function utcDayKey(value: Date): string | undefined {
  const time = value.getTime();
  if (Number.isNaN(time)) return undefined;
  return `d${Math.floor(time / 86_400_000)}`;
}

/** 'YYYY-MM-DD' of a timestamp in UTC, for <time datetime> and machine formats. */
export function isoDay(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function utcCalendarDay(value: Date): Date {
  return new Date(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate());
}

/** Whether a string is a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = parseISO(value);
  return isValid(date) && format(date, 'yyyy-MM-dd') === value;
}
