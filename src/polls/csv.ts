/** A CSV cell: text (made safe for spreadsheets) or a number (written as is). */
export type Cell = string | number;

/**
 * CSV injection ("formula injection"): a spreadsheet opening the file runs a cell that starts with
 * one of these as a formula — `=HYPERLINK(...)`, `@SUM(...)`, `+cmd|...`, `-2+3` — so a member could
 * make an answer that acts on whoever opens the export. Such a text cell gets a leading apostrophe,
 * OWASP's advice: the cell then starts with a character no spreadsheet evaluates, so it shows as
 * text. Tab and carriage return are on OWASP's list as well: some programs skip them before the formula.
 * The cost is an apostrophe before a label like "-1" or "@home"; numbers we write are left alone.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, and its quotes are doubled. */
export function csvField(cell: Cell): string {
  const text = typeof cell === 'number' ? String(cell) : spreadsheetSafe(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as RFC 4180 text: CRLF after every record, and every record padded to the same number of
 * fields (the RFC asks for it, and some readers refuse ragged files). Starts with a byte order
 * mark, without which Excel reads UTF-8 (accents, emoji) as another encoding.
 */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const lines = rows.map((row) => [...row, ...Array<Cell>(width - row.length).fill('')].map(csvField).join(','));
  return `\uFEFF${lines.map((l) => `${l}\r\n`).join('')}`;
}
