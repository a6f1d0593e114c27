import { addressKey } from '../common/address-hash.ts';
import { parseEmailAddress, parseSubscriberName } from './email-address.ts';

/** A good row of a subscriber file. */
export interface SubscriberCsvRow {
  /** The line (from 1) where the row begins. */
  line: number;
  email: string;
  name?: string;
}

/** A row that cannot be imported, and why. */
export interface SubscriberCsvError {
  /** The line (from 1) where the row begins. */
  line: number;
  message: string;
}

export interface ParsedSubscriberCsv {
  rows: SubscriberCsvRow[];
  errors: SubscriberCsvError[];
  /** Header columns that carry nothing the list keeps (they are left out). */
  ignoredColumns: string[];
}

const EMAIL_COLUMNS = ['email', 'email address', 'e-mail', 'e-mail address', 'mail'];
const NAME_COLUMNS = ['name', 'full name', 'display name'];
const FIRST_NAME_COLUMNS = ['first name', 'firstname', 'given name'];
const LAST_NAME_COLUMNS = ['last name', 'lastname', 'surname', 'family name'];
/** How much of a bad value an error message quotes. */
const QUOTED_LENGTH = 60;

/**
 * Reads a CSV file of subscribers (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks; `;` is accepted as the separator when the first line has no comma). The first line
 * names the columns: `email` and optionally `name` (or `first name` and `last name`), other
 * columns are ignored. A file without a header line is read as `email[,name]`. Every row is
 * checked: each bad one is reported with the line it begins on, including an address given
 * twice.
 */
export function parseSubscriberCsv(text: string): ParsedSubscriberCsv {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = source.slice(0, source.search(/\r|\n|$/));
  const separator = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
  const { records, error } = readRecords(source, separator);
  const result: ParsedSubscriberCsv = { rows: [], errors: [], ignoredColumns: [] };
  const nonBlank = records.filter((record) => record.fields.some((field) => field.trim() !== ''));
  const first = nonBlank[0];
  if (!first) {
    if (error) result.errors.push(error);
    return result;
  }
  const columns = readHeader(first.fields);
  if (typeof columns === 'string') {
    result.errors.push({ line: first.line, message: columns });
    return result;
  }
  result.ignoredColumns = columns.ignored;
  const seen = new Map<string, number>();
  for (const record of columns.headerless ? nonBlank : nonBlank.slice(1)) {
    const problem = readRow(record.fields, columns);
    if (typeof problem === 'string') {
      result.errors.push({ line: record.line, message: problem });
      continue;
    }
    const key = addressKey(problem.email);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      result.errors.push({ line: record.line, message: `same address as line ${earlier}` });
      continue;
    }
    seen.set(key, record.line);
    result.rows.push({ line: record.line, ...problem });
  }
  if (error) result.errors.push(error);
  return result;
}

interface Columns {
  headerless: boolean;
  count: number;
  email: number;
  name?: number;
  first?: number;
  last?: number;
  ignored: string[];
}

function readHeader(fields: string[]): Columns | string {
  const names = fields.map((field) =>
    field
      .trim()
      .toLowerCase()
      .replace(/[_\s]+/g, ' '),
  );
  const find = (aliases: string[]) =>
    names.flatMap((name, index) => (aliases.includes(name) ? [index] : []));
  const email = find(EMAIL_COLUMNS);
  if (email.length === 0) {
    if (parseEmailAddress(fields[0]) && fields.length <= 2) {
      return { headerless: true, count: fields.length, email: 0, name: 1, ignored: [] };
    }
    return 'the first line must name the columns, with one called "email" (and optionally "name")';
  }
  const name = find(NAME_COLUMNS);
  const first = find(FIRST_NAME_COLUMNS);
  const last = find(LAST_NAME_COLUMNS);
  for (const [label, found] of [
    ['an email', email],
    ['a name', name],
    ['a first name', first],
    ['a last name', last],
  ] as const) {
    if (found.length > 1) return `the header names ${label} column more than once`;
  }
  const used = new Set([...email, ...name, ...first, ...last]);
  return {
    headerless: false,
    count: fields.length,
    email: email[0] ?? 0,
    ...(name[0] !== undefined ? { name: name[0] } : {}),
    ...(first[0] !== undefined ? { first: first[0] } : {}),
    ...(last[0] !== undefined ? { last: last[0] } : {}),
    ignored: fields.flatMap((field, index) => (used.has(index) ? [] : [field.trim()])),
  };
}

function readRow(fields: string[], columns: Columns): { email: string; name?: string } | string {
  if (columns.headerless ? fields.length > 2 : fields.length !== columns.count) {
    const expected = columns.headerless ? 'at most 2' : String(columns.count);
    return `expected ${expected} fields, found ${fields.length}`;
  }
  const given = unescapeFormula(fields[columns.email] ?? '');
  const email = parseEmailAddress(given);
  if (!email) {
    return given.trim() === ''
      ? 'the email address is missing'
      : `${quote(given)} is not an email address`;
  }
  const rawName =
    columns.name !== undefined
      ? fields[columns.name]
      : [columns.first, columns.last]
          .map((index) => (index === undefined ? '' : unescapeFormula(fields[index] ?? '').trim()))
          .join(' ');
  const name = parseSubscriberName(unescapeFormula(rawName ?? ''));
  if (!name.ok) return name.message;
  return name.name ? { email, name: name.name } : { email };
}

/** `'=…` as written by `formatSubscriberCsv` reads back as `=…`. */
/**
 * A value a spreadsheet would run as a formula (CSV injection) once its leading quotes are
 * gone; such values are written with one more leading quote, which reading takes off again.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_LIKE.test(value.slice(1)) ? value.slice(1) : value;
}

function quote(value: string): string {
  const shown = [...value.trim()];
  const cut =
    shown.length > QUOTED_LENGTH ? `${shown.slice(0, QUOTED_LENGTH).join('')}…` : value.trim();
  return JSON.stringify(cut);
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 records, each with the line it begins on; stops at a quote left open. */
function readRecords(
  text: string,
  separator: string,
): { records: CsvRecord[]; error?: SubscriberCsvError } {
  const records: CsvRecord[] = [];
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let ended = false;
    while (index < text.length && !ended) {
      const char = text[index] as string;
      if (atFieldStart && char === '"') {
        const close = readQuoted(text, index + 1);
        if (close === undefined) {
          return {
            records,
            error: { line: start, message: 'a quoted field opened on this line is never closed' },
          };
        }
        field += close.value;
        line += close.lineBreaks;
        index = close.next;
        // Any text after the closing quote is kept, as spreadsheets do.
        atFieldStart = false;
        continue;
      }
      if (char === separator) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        index++;
      } else if (char === '\n' || char === '\r') {
        index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
        line++;
        ended = true;
      } else {
        field += char;
        atFieldStart = false;
        index++;
      }
    }
    fields.push(field);
    records.push({ line: start, fields });
  }
  return { records };
}

function readQuoted(
  text: string,
  from: number,
): { value: string; next: number; lineBreaks: number } | undefined {
  let value = '';
  let lineBreaks = 0;
  let index = from;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"') {
      if (text[index + 1] === '"') {
        value += '"';
        index += 2;
        continue;
      }
      return { value, next: index + 1, lineBreaks };
    }
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) lineBreaks++;
    value += char;
    index++;
  }
  return undefined;
}

/** Writes subscribers as CSV (`email,name,status,source,createdAt`), for `subscribers export`. */
export function formatSubscriberCsv(
  subscribers: readonly {
    email: string;
    name?: string | undefined;
    status: string;
    source: string;
    createdAt: string;
  }[],
): string {
  const lines = [['email', 'name', 'status', 'source', 'createdAt']];
  for (const s of subscribers) {
    lines.push([s.email, s.name ?? '', s.status, s.source, s.createdAt]);
  }
  return `${lines.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  const safe = FORMULA_LIKE.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
