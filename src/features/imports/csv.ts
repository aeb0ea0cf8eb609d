import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../exports/csv';

/** A cell of the newsroom's exports: dates in ISO 8601, and text a spreadsheet shows as text (CSV injection). */
function spreadsheetSafe(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutraliseFormula(String(value));
}

/** A CSV document (RFC 4180, CRLF) with a header row; every cell made spreadsheet-safe. */
export function toCsv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return stringify(
    rows.map((row) => columns.map((column) => spreadsheetSafe(row[column]))),
    { header: true, columns: [...columns], record_delimiter: '\r\n', bom: true },
  );
}

/** The delimiter of a CSV file from its header line: comma, semicolon (spreadsheets set to Indonesian) or tab. */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}
