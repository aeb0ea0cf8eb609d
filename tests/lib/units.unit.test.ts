import { describe, expect, it } from 'vitest';
import {
  isFinalStatus,
  isStatusOnScale,
  PROMISE_STATUSES,
  ratingValue,
  STATEMENT_STATUSES,
} from '../../src/features/claims/scales';
import { formatDate, isCalendarDate } from '../../src/lib/dates';
import { messages, translator } from '../../src/lib/i18n';
import { isSafeLinkTarget, renderMarkdown } from '../../src/lib/markdown';
import { slugify } from '../../src/lib/slug';
import { isHttpUrl } from '../../src/lib/urls';

describe('scales', () => {
  it('tie each status to its kind', () => {
    expect(isStatusOnScale('promise', 'kept')).toBe(true);
    expect(isStatusOnScale('promise', 'true')).toBe(false);
    expect(isStatusOnScale('statement', 'false')).toBe(true);
    expect(isStatusOnScale('statement', 'broken')).toBe(false);
  });
  it('call every value final except not_rated, in_progress and unverified', () => {
    const notFinal = [...PROMISE_STATUSES, ...STATEMENT_STATUSES].filter((s) => !isFinalStatus(s));
    expect(notFinal.sort()).toEqual(['in_progress', 'not_rated', 'unverified']);
  });
  it('map statement verdicts to ClaimReview ratings 5 to 1', () => {
    expect(
      ['true', 'mostly_true', 'half_true', 'misleading', 'false'].map((s) => ratingValue(s as 'true')),
    ).toEqual([5, 4, 3, 2, 1]);
    expect(ratingValue('unproven')).toBeUndefined();
    expect(ratingValue('kept')).toBeUndefined();
  });
  it('have a label and a meaning in both languages for every status', () => {
    for (const status of [...PROMISE_STATUSES, ...STATEMENT_STATUSES]) {
      for (const lang of ['id', 'en'] as const) {
        expect(messages[lang][`status.${status}`]).toBeTruthy();
        expect(messages[lang][`status_meaning.${status}`]).toBeTruthy();
      }
    }
    expect(translator('id')('status.half_true')).toBe('Setengah benar');
    expect(translator('en')('status.unverified')).toBe('Not yet checked');
  });
});

describe('translations', () => {
  it('have the same keys in Indonesian and English', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.id).sort());
  });
  it('fill in parameters', () => {
    const t = translator('en');
    expect(t('site.name')).toBe('Kawal Janji');
    expect(translator('id')('no.such.key')).toBe('no.such.key');
  });
});

describe('dates', () => {
  it('write a calendar date in the page language', () => {
    expect(formatDate('2024-11-04', 'id', 'weekday')).toBe('Senin, 4 November 2024');
    expect(formatDate('2024-11-04', 'en', 'weekday')).toBe('Monday, 4 November 2024');
    expect(formatDate('2024-08-17', 'id')).toBe('17 Agustus 2024');
  });
  it('write a timestamp as its UTC day', () => {
    expect(formatDate(new Date('2024-11-04T23:30:00Z'), 'en')).toBe('4 November 2024');
  });
  it('give the same day the same text every time, in each language and style of its own', () => {
    for (let round = 0; round < 2; round++) {
      expect(formatDate(new Date('2024-11-04T00:00:00Z'), 'id', 'weekday')).toBe('Senin, 4 November 2024');
      expect(formatDate(new Date('2024-11-04T23:59:59Z'), 'en', 'weekday')).toBe('Monday, 4 November 2024');
      expect(formatDate(new Date('2024-11-05T00:00:00Z'), 'en', 'short')).toBe('5 Nov 2024');
      expect(formatDate('2024-11-04', 'en', 'short')).toBe('4 Nov 2024');
      expect(formatDate(new Date('1965-09-30T12:00:00Z'), 'id')).toBe('30 September 1965');
      expect(formatDate(new Date(Number.NaN), 'id')).toBe('');
      expect(formatDate('bukan tanggal', 'id')).toBe('');
    }
  });
  it('recognise real calendar dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('4/11/2024')).toBe(false);
  });
});

describe('links', () => {
  it('accept only http and https addresses', () => {
    expect(isHttpUrl('https://samarindakota.go.id/berita')).toBe(true);
    expect(isHttpUrl('HTTP://example.org')).toBe(true);
    for (const bad of [
      'javascript:alert(1)',
      ' https://x.org',
      'data:text/html,x',
      'https://',
      '//x.org',
      'https://x.org/\n',
    ]) {
      expect(isHttpUrl(bad), bad).toBe(false);
    }
  });
  it('markdown renders raw HTML as text and drops script links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> [a](javascript:alert(1)) [b](https://example.org)',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">b</a>');
    expect(isSafeLinkTarget('/claims/x')).toBe(true);
    expect(isSafeLinkTarget('//evil.example')).toBe(false);
  });
});

describe('slugs', () => {
  it('are lower-case ASCII words joined by hyphens', () => {
    expect(slugify('Dulu 40 OPD, sekarang 30 OPD!')).toBe('dulu-40-opd-sekarang-30-opd');
    expect(slugify('Énergie à Samarinda')).toBe('energie-a-samarinda');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(80);
  });
});
