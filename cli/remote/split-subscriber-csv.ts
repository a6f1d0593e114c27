import {
  type ParsedSubscriberCsv,
  parseSubscriberCsv,
} from '#core/subscribers/parse-subscriber-csv.ts';

/** One request's share of a subscriber file (see {@link splitSubscriberCsv}). */
export interface SubscriberCsvPart {
  /**
   * The CSV to send: the file's lines before its first row (its header), then whole rows of
   * the file; a row the whole file's parse refused is left as empty lines.
   */
  text: string;
  /** The UTF-8 size of `text`. */
  bytes: number;
  /** What to add to a line of `text` to find that line in the file. */
  lineOffset: number;
  /** The good rows it carries. */
  rows: number;
  /** The lines of the file it carries, from the first line of its first row. */
  firstLine: number;
  lastLine: number;
}

/** How large one part may be. */
export interface CsvSplitLimits {
  /** UTF-8 bytes of a part's text, its header included. */
  maxBytes: number;
  /** Good rows of a part. */
  maxRows: number;
}

/** A subscriber file cannot be cut into parts that read as the whole file does. */
export class CsvSplitError extends Error {
  override name = 'CsvSplitError';
}

interface CsvRecord {
  /** The line the record begins on. */
  line: number;
  text: string;
  bytes: number;
  good: boolean;
}

/**
 * Cuts a subscriber file into parts for `POST /subscribers`, each within `limits`, each
 * beginning with the file's header, cut only where a row begins. Where rows begin comes from
 * `parsed`, the core parser's reading of the whole file (`parseSubscriberCsv(text)`): each
 * good or bad row names the line it begins on, so a quoted field that holds a line break is
 * never cut. The rows `parsed` refused are sent as empty lines (which the parser skips): line
 * numbers stay where they were, and only good rows reach the stack, so a duplicate of a row
 * sent in an earlier part is refused as it is in the whole file. Every part is read back with
 * the same parser: its rows, moved by `lineOffset`, must be the whole file's rows on its
 * lines. Parts without a good row are left out: none when the file has no good row.
 * @throws CsvSplitError when a row alone, with the header, is over `maxBytes`, or when a part
 *   would read otherwise than the whole file (a file without a header line whose rows change
 *   the separator `;`)
 */
export function splitSubscriberCsv(
  text: string,
  parsed: ParsedSubscriberCsv,
  limits: CsvSplitLimits,
): SubscriberCsvPart[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const starts = lineStarts(source);
  const records = recordsOf(source, starts, parsed);
  const first = records[0];
  if (!first || parsed.rows.length === 0) return [];
  const header = source.slice(0, offsetOf(starts, first.line));
  const headerBytes = Buffer.byteLength(header);
  const parts: SubscriberCsvPart[] = [];
  let taken: CsvRecord[] = [];
  let bytes = headerBytes;
  let rows = 0;
  const close = (lastLine: number) => {
    const start = taken[0];
    if (start && rows > 0) {
      parts.push({
        text: header + taken.map((record) => record.text).join(''),
        bytes,
        lineOffset: start.line - first.line,
        rows,
        firstLine: start.line,
        lastLine,
      });
    }
    taken = [];
    bytes = headerBytes;
    rows = 0;
  };
  for (const record of records) {
    if (record.good && headerBytes + record.bytes > limits.maxBytes) {
      throw new CsvSplitError(
        `the row on line ${record.line} is too large to send: with the header line it is over ${limits.maxBytes.toLocaleString('en')} bytes, the most one request may carry; nothing was imported`,
      );
    }
    const full = bytes + record.bytes > limits.maxBytes || (record.good && rows >= limits.maxRows);
    if (full) close(record.line - 1);
    taken.push(record);
    bytes += record.bytes;
    if (record.good) rows++;
  }
  close(source.endsWith('\n') || source.endsWith('\r') ? starts.length - 1 : starts.length);
  for (const part of parts) checkPart(part, parsed);
  return parts;
}

/** Where each line begins: a line ends at `\r\n`, `\n` or `\r`, as the core parser counts. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\r' && source[index + 1] === '\n') index++;
    if (char === '\r' || char === '\n') starts.push(index + 1);
  }
  return starts;
}

function offsetOf(starts: number[], line: number): number {
  const offset = starts[line - 1];
  if (offset === undefined) throw new CsvSplitError(`the file has no line ${line}`);
  return offset;
}

/**
 * The file's rows, good or bad, each with its text up to the next row (the empty lines
 * between them included); a bad row's text is as many empty lines as it spans.
 */
function recordsOf(source: string, starts: number[], parsed: ParsedSubscriberCsv): CsvRecord[] {
  const good = new Set(parsed.rows.map((row) => row.line));
  const lines = [...new Set([...parsed.rows, ...parsed.errors].map((each) => each.line))].sort(
    (a, b) => a - b,
  );
  return lines.map((line, index) => {
    const next = lines[index + 1];
    const end = next === undefined ? source.length : offsetOf(starts, next);
    const isGood = good.has(line);
    const breaks = (next ?? starts.length) - line;
    const text = isGood ? source.slice(offsetOf(starts, line), end) : '\n'.repeat(breaks);
    return { line, text, bytes: Buffer.byteLength(text), good: isGood };
  });
}

/**
 * Reads `part` with the core parser, as the stack will.
 * @throws CsvSplitError unless it reads as the whole file's rows on its lines, nothing else
 */
function checkPart(part: SubscriberCsvPart, parsed: ParsedSubscriberCsv): void {
  const read = parseSubscriberCsv(part.text);
  const expected = parsed.rows.filter(
    (row) => row.line >= part.firstLine && row.line <= part.lastLine,
  );
  const same =
    read.errors.length === 0 &&
    read.ignoredColumns.join('\n') === parsed.ignoredColumns.join('\n') &&
    read.rows.length === expected.length &&
    read.rows.every((row, index) => {
      const whole = expected[index];
      return (
        whole !== undefined &&
        row.line + part.lineOffset === whole.line &&
        row.email === whole.email &&
        row.name === whole.name
      );
    });
  if (!same) {
    throw new CsvSplitError(
      `lines ${part.firstLine}–${part.lastLine} of the file would not read alone as they read in the whole file, so it cannot be sent in parts: give it a header line naming its columns (email,name); nothing was imported`,
    );
  }
}
