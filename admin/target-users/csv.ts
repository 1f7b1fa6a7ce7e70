/**
 * Characters a spreadsheet takes as the start of a formula (OWASP "CSV Injection"): a cell
 * beginning with one of them is written with a leading single quote, so it opens as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text a spreadsheet never runs, quoted per RFC 4180 when it holds a comma, quote or line break. */
export function csvCell(value: string | null | undefined): string {
  const text = value ?? '';
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as RFC 4180 lines, each ended by CRLF. */
export function csvLines(rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
