import { stringify } from 'csv-stringify/sync';

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"); the
// full-width forms are included because some locales' spreadsheets read them the same way.
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** A cell that a spreadsheet shows as text: a leading apostrophe in front of anything formula-like. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type Cell = string | number | boolean | null | undefined;

/** CSV lines (RFC 4180, CRLF) with every text cell made safe to open in a spreadsheet. */
export function csvRows(rows: readonly (readonly Cell[])[]): string {
  return stringify(
    rows.map((row) =>
      row.map((cell) => (cell === null || cell === undefined ? '' : neutraliseFormula(String(cell)))),
    ),
    { record_delimiter: '\r\n' },
  );
}
