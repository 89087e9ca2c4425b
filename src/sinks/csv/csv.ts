/**
 * An RFC 4180 CSV writer that is safe to open in a spreadsheet.
 *
 * - Records end in CRLF, as RFC 4180 says (every spreadsheet and CSV library reads it; a CR left at
 *   the end of a line by `cut` is the price). The last record ends in CRLF too.
 * - A field is quoted only when it has to be: when it contains `,`, `"`, CR or LF; quotes inside
 *   are doubled. Line breaks inside a quoted field are kept as they are.
 * - Cells are typed. A `number` is a number: written in plain decimal notation (never `1e-7`), never
 *   prefixed, so `-5` stays a number. A `string` is text: if it begins with `=`, `+`, `-`, `@`, TAB
 *   or CR, a spreadsheet could run it as a formula (OWASP "CSV injection"), so it gets a leading `'`,
 *   which spreadsheets read as "this is text".
 */
export type CsvCell = string | number;

export const CSV_EOL = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field as it appears in the file. */
export function csvField(cell: CsvCell): string {
  const text = typeof cell === 'number' ? plainNumber(cell) : FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, without its line end. */
export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',');
}

/** A header record and the data records, each ended by CRLF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((cells) => csvLine(cells) + CSV_EOL).join('');
}

/**
 * A finite number in plain decimal notation: JavaScript's shortest round-trip digits, with an
 * exponent (`1e-7`, `1e+21`) written out, so `0.0000001` and not a form some readers take for text.
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`a CSV number must be finite, got ${n}`);
  const text = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = '', lead = '', fraction = '', exponentText = ''] = match;
  const exponent = Number(exponentText);
  const digits = lead + fraction;
  return exponent < 0 ? `${sign}0.${'0'.repeat(-exponent - 1)}${digits}` : `${sign}${digits}${'0'.repeat(exponent - fraction.length)}`;
}
