import { common } from './messages/common';
import { events } from './messages/events';
import { finder } from './messages/finder';
import { newsroom } from './messages/newsroom';
import { publicPages } from './messages/public';
import { readers } from './messages/readers';
import { responses } from './messages/responses';
import { sharing } from './messages/sharing';
import { term } from './messages/term';

export const LANGUAGES = ['id', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'id';

type Dictionary = Record<string, string>;

// Each area keeps its own file so that features can grow their strings without touching each other's.
export const messages: Record<Lang, Dictionary> = {
  id: {
    ...common.id,
    ...publicPages.id,
    ...newsroom.id,
    ...term.id,
    ...finder.id,
    ...events.id,
    ...sharing.id,
    ...readers.id,
    ...responses.id,
  },
  en: {
    ...common.en,
    ...publicPages.en,
    ...newsroom.en,
    ...term.en,
    ...finder.en,
    ...events.en,
    ...sharing.en,
    ...readers.en,
    ...responses.en,
  },
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function isLang(value: unknown): value is Lang {
  return value === 'id' || value === 'en';
}

export function translator(lang: Lang): Translate {
  const dictionary = messages[lang];
  return (key, params) => {
    const template = dictionary[key] ?? messages[DEFAULT_LANG][key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      params[name] === undefined ? whole : String(params[name]),
    );
  };
}
