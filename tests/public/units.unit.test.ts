import { describe, expect, it } from 'vitest';
import { badgeSvg } from '../../src/features/claims/badge';
import { jsonForScript, shorten } from '../../src/features/claims/claim-review';
import { decodeCursor, encodeCursor, parseListQuery } from '../../src/features/claims/claims.schemas';
import { buildScoreboard, wholePercents } from '../../src/features/elections/scoreboard';
import { csvRows, neutraliseFormula } from '../../src/features/exports/csv';
import { xmlEscape } from '../../src/features/feeds/xml';
import { meterOf } from '../../src/features/sharing/meter';

describe('scoreboards', () => {
  it('round percentages to add up to 100, but never show equal counts as different numbers', () => {
    expect(wholePercents([2, 1])).toEqual([67, 33]);
    expect(wholePercents([7, 3, 1])).toEqual([64, 27, 9]);
    expect(wholePercents([0, 0])).toEqual([0, 0]);
    // Three equal thirds cannot share the 100th point: each shows 33, not 34, 33, 33.
    expect(wholePercents([1, 1, 1])).toEqual([33, 33, 33]);
    expect(wholePercents([2, 1, 1, 1, 1, 1])).toEqual([29, 14, 14, 14, 14, 14]);
    for (const counts of [
      [7, 3, 1],
      [1, 1, 1, 1, 1, 1, 1],
      [99, 1, 0, 0],
      [13, 17, 19, 23],
      [5, 5, 3, 3, 3, 1],
      [1, 2, 3, 4, 5, 6, 7],
    ]) {
      const percents = wholePercents(counts);
      const sum = percents.reduce((a, b) => a + b, 0);
      expect(sum).toBeLessThanOrEqual(100);
      expect(sum).toBeGreaterThan(100 - counts.length);
      for (let i = 0; i < counts.length; i += 1) {
        for (let j = 0; j < counts.length; j += 1) {
          if (counts[i] === counts[j]) expect(percents[i]).toBe(percents[j]);
          if (counts[i]! > counts[j]!) expect(percents[i]).toBeGreaterThanOrEqual(percents[j]!);
        }
      }
      // Without equal counts, the largest remainder makes exactly 100.
      if (new Set(counts.filter((n) => n > 0)).size === counts.filter((n) => n > 0).length) {
        expect(sum).toBe(100);
      }
    }
  });

  it('give each kind its own scale in scale order, with bar segments that fill exactly 100', () => {
    const board = buildScoreboard([
      { kind: 'statement', status: 'false', count: 1 },
      { kind: 'statement', status: 'true', count: 3 },
      { kind: 'promise', status: 'kept', count: 2 },
    ]);
    expect(board.total).toBe(6);
    expect(board.scales.map((s) => s.kind)).toEqual(['promise', 'statement']);
    const statement = board.scales[1]!;
    expect(statement.rows.map((r) => r.status)).toEqual([
      'unverified',
      'true',
      'mostly_true',
      'half_true',
      'misleading',
      'false',
      'unproven',
    ]);
    expect(statement.rows.find((r) => r.status === 'true')).toMatchObject({
      count: 3,
      percent: 75,
      tone: 'good',
    });
    const last = statement.rows.at(-1)!;
    expect(last.offset + last.width).toBeCloseTo(100);
  });

  it('leave out a kind that has no claims', () => {
    expect(buildScoreboard([{ kind: 'promise', status: 'kept', count: 1 }]).scales).toHaveLength(1);
    expect(buildScoreboard([])).toEqual({ total: 0, scales: [] });
  });
});

describe('ClaimReview helpers', () => {
  it('shorten a long title under 75 characters at a word boundary', () => {
    const title =
      'Samarinda menandatangani kerja sama sistem meritokrasi dengan Pemprov Jawa Barat era Ridwan Kamil dan mereplikasinya';
    const short = shorten(title, 74);
    expect(short.length).toBeLessThan(75);
    expect(short.endsWith('…')).toBe(true);
    expect(title.startsWith(short.slice(0, -1))).toBe(true);
    expect(shorten('Pendek saja', 74)).toBe('Pendek saja');
  });

  it('write JSON that cannot end its script element or open a comment, and parses back the same', () => {
    const value = { text: '</script><script>alert(1)</script><!-- & \u2028' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('list cursors and query strings', () => {
  it('round-trip a cursor and refuse a forged or mismatched one', () => {
    const cursor = { sort: 'updated' as const, key: '2024-11-04 10:00:00.123456+00', id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ sort: 'said', key: '-infinity', id: 3 }))).toEqual({
      sort: 'said',
      key: '-infinity',
      id: 3,
    });
    expect(decodeCursor('not json')).toBeUndefined();
    expect(
      decodeCursor(Buffer.from('["updated","drop table claims",1]').toString('base64url')),
    ).toBeUndefined();
    expect(decodeCursor(Buffer.from('["said","2024-02-30",1]').toString('base64url'))).toBeUndefined();
    expect(
      decodeCursor(Buffer.from('["updated","2024-11-04 10:00:00+00",-1]').toString('base64url')),
    ).toBeUndefined();
  });

  it('accept one, repeated or empty filter values and name every parameter that makes no sense', () => {
    const ok = parseListQuery({ status: ['true', 'false', 'true'], kind: '', q: '  OPD  ', utm_source: 'x' });
    expect(ok).toMatchObject({
      ok: true,
      request: { filters: { statuses: ['true', 'false'], kinds: [], q: 'OPD' } },
    });
    expect(parseListQuery({ status: 'benar', q: ['a', 'b'], page: '0', election: 'Bad Slug!' })).toEqual({
      ok: false,
      invalid: ['q', 'election', 'status', 'page'],
    });
    const sortMismatch = encodeCursor({ sort: 'updated', key: '2024-11-04 10:00:00+00', id: 1 });
    expect(parseListQuery({ sort: 'said', cursor: sortMismatch })).toEqual({
      ok: false,
      invalid: ['cursor'],
    });
    expect(
      parseListQuery({ status: Array.from({ length: 11 }, () => 'true').map((s, i) => `${s}${i}`) }).ok,
    ).toBe(false);
  });
});

describe('safe output formats', () => {
  it('neutralise spreadsheet formulas in CSV cells', () => {
    for (const evil of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1+1']) {
      expect(neutraliseFormula(evil)).toBe(`'${evil}`);
    }
    expect(neutraliseFormula('Dulu 40 OPD')).toBe('Dulu 40 OPD');
    expect(csvRows([['=HYPERLINK("http://evil")', 'a,b']])).toBe(`"'=HYPERLINK(""http://evil"")","a,b"\r\n`);
  });

  it('escape XML and drop the characters XML cannot carry', () => {
    expect(xmlEscape(`<a href="x">&'\u0000\u0001ok\ud800`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;ok');
    expect(xmlEscape('emoji 🗳️ stays')).toBe('emoji 🗳️ stays');
  });

  it('draw a badge whose text is escaped and whose colour follows the status', () => {
    const svg = badgeSvg({
      label: 'Kawal Janji',
      value: '<Keliru>',
      tone: 'bad',
      title: 'Kawal Janji: <Keliru>',
      meter: meterOf('statement', 'false'),
    });
    expect(svg).toContain('&lt;Keliru&gt;');
    expect(svg).not.toContain('<Keliru>');
    expect(svg).toContain('#a1221b');
    expect(svg).toContain('role="img"');
  });
});
