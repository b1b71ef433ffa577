/**
 * A strict RFC 4180 reader for tests: CRLF records, quoted fields with doubled quotes, and an
 * error (not a guess) for anything else — a bare quote inside an unquoted field, text after a
 * closing quote, an unterminated quote, a bare LF, a missing final CRLF, or records of unequal width.
 * A leading byte order mark is dropped, as spreadsheets do.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`not RFC 4180 CSV: ${what} at offset ${i}`);
  };
  while (i < input.length) {
    let field = '';
    if (input[i] === '"') {
      i++;
      for (;;) {
        if (i >= input.length) fail('unterminated quoted field');
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += input[i++];
      }
    } else {
      while (i < input.length && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') {
        if (input[i] === '"') fail('quote in an unquoted field');
        field += input[i++];
      }
    }
    row.push(field);
    if (input[i] === ',') i++;
    else if (input.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
    } else fail(i >= input.length ? 'missing CRLF after the last record' : `unexpected ${JSON.stringify(input[i])}`);
  }
  if (row.length > 0) fail('incomplete record');
  const width = rows[0]?.length ?? 0;
  rows.forEach((r, n) => {
    if (r.length !== width) throw new Error(`not RFC 4180 CSV: record ${n + 1} has ${r.length} fields, the first has ${width}`);
  });
  return rows;
}

/** The rows of one section of an export: those after the row starting with `header`, up to the next blank row. */
export function section(rows: string[][], header: string): string[][] {
  const start = rows.findIndex((r) => r[0] === header);
  if (start < 0) throw new Error(`no section "${header}"`);
  const end = rows.findIndex((r, i) => i > start && r.every((c) => c === ''));
  return rows.slice(start, end < 0 ? undefined : end);
}

/** The value beside a label in an export's summary (`Voters,12`). */
export const valueOf = (rows: string[][], label: string): string | undefined => rows.find((r) => r[0] === label)?.[1];
