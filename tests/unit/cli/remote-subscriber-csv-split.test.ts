import { describe, expect, it } from 'vitest';
import {
  CsvSplitError,
  type SubscriberCsvPart,
  splitSubscriberCsv,
} from '#cli/remote/split-subscriber-csv.ts';
import { parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';

const roomy = { maxBytes: 1024 * 1024, maxRows: 1000 };

function split(text: string, limits = roomy) {
  return splitSubscriberCsv(text, parseSubscriberCsv(text), limits);
}

/** What the stack reads in the parts, every line moved back to its line in the file. */
function readBack(parts: SubscriberCsvPart[]) {
  return parts.flatMap((part) => {
    const read = parseSubscriberCsv(part.text);
    return [
      ...read.rows.map((row) => ({ ...row, line: row.line + part.lineOffset })),
      ...read.errors.map((error) => ({ ...error, line: error.line + part.lineOffset })),
    ];
  });
}

function readers(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, index) => `reader+${from + index}@example.com`);
}

describe('splitSubscriberCsv', () => {
  it('sends a small file as it is, in one part', () => {
    const text = 'email,name\nada@example.com,Ada\ngrace@example.com,Grace\n';

    const parts = split(text);

    expect(parts).toEqual([
      { text, bytes: text.length, lineOffset: 0, rows: 2, firstLine: 2, lastLine: 3 },
    ]);
  });

  it('cuts after maxRows rows, each part starting with the header line', () => {
    const text = `email\n${readers(7).join('\n')}\n`;

    const parts = split(text, { maxBytes: 1024, maxRows: 3 });

    expect(parts.map((part) => part.rows)).toEqual([3, 3, 1]);
    expect(parts.map((part) => part.text.split('\n')[0])).toEqual(['email', 'email', 'email']);
    expect(parts.map((part) => part.lineOffset)).toEqual([0, 3, 6]);
    expect(readBack(parts)).toEqual(parseSubscriberCsv(text).rows);
  });

  it('keeps every part within maxBytes, the header counted, in UTF-8 bytes', () => {
    // 30 rows of 61 bytes: "reader+N@example.com," and a name of 20 two-byte letters.
    const rows = readers(30, 10).map((email) => `${email},${'é'.repeat(20)}`);
    const text = `email,name\n${rows.join('\n')}\n`;

    const parts = split(text, { maxBytes: 400, maxRows: 1000 });

    expect(parts.length).toBeGreaterThan(4);
    expect(Math.max(...parts.map((part) => Buffer.byteLength(part.text)))).toBeLessThanOrEqual(400);
    expect(parts.map((part) => part.bytes)).toEqual(
      parts.map((part) => Buffer.byteLength(part.text)),
    );
    expect(parts.every((part) => part.text.startsWith('email,name\n'))).toBe(true);
    expect(readBack(parts)).toEqual(parseSubscriberCsv(text).rows);
  });

  it('never cuts inside a quoted field that spans lines, and counts its lines', () => {
    const text = [
      'email,note,name',
      'ada@example.com,"one\ntwo\nthree",Ada',
      'grace@example.com,"a ""quoted""\r\nnote",Grace',
      'linus@example.com,plain,Linus',
      '',
    ].join('\n');

    const parts = split(text, { maxBytes: 1024, maxRows: 1 });

    expect(parts.map((part) => part.text)).toEqual([
      'email,note,name\nada@example.com,"one\ntwo\nthree",Ada\n',
      'email,note,name\ngrace@example.com,"a ""quoted""\r\nnote",Grace\n',
      'email,note,name\nlinus@example.com,plain,Linus\n',
    ]);
    expect(readBack(parts)).toEqual([
      { line: 2, email: 'ada@example.com', name: 'Ada' },
      { line: 5, email: 'grace@example.com', name: 'Grace' },
      { line: 7, email: 'linus@example.com', name: 'Linus' },
    ]);
  });

  it("sends the whole file's bad rows as empty lines, a duplicate in a later part too", () => {
    const text = [
      'email',
      'ada@example.com',
      'nope',
      'grace@example.com',
      'ADA@example.com',
      'linus@example.com',
      '',
    ].join('\n');

    const parts = split(text, { maxBytes: 1024, maxRows: 2 });

    expect(parts.map((part) => part.text)).toEqual([
      'email\nada@example.com\n\ngrace@example.com\n\n',
      'email\nlinus@example.com\n',
    ]);
    expect(readBack(parts)).toEqual([
      { line: 2, email: 'ada@example.com' },
      { line: 4, email: 'grace@example.com' },
      { line: 6, email: 'linus@example.com' },
    ]);
  });

  it('repeats all that comes before the first row, CRLF and blank lines kept, the BOM left out', () => {
    const text = `\uFEFFEmail;Name\r\n\r\n${readers(3)
      .map((email) => `${email};Reader`)
      .join('\r\n')}`;

    const parts = split(text, { maxBytes: 1024, maxRows: 2 });

    expect(parts.map((part) => part.text)).toEqual([
      'Email;Name\r\n\r\nreader+1@example.com;Reader\r\nreader+2@example.com;Reader\r\n',
      'Email;Name\r\n\r\nreader+3@example.com;Reader',
    ]);
    expect(parts.map((part) => [part.firstLine, part.lastLine])).toEqual([
      [3, 4],
      [5, 5],
    ]);
    expect(readBack(parts)).toEqual(parseSubscriberCsv(text).rows);
  });

  it('splits a file without a header line into parts without one', () => {
    const text = `${readers(3).join('\n')}\n`;

    const parts = split(text, { maxBytes: 1024, maxRows: 2 });

    expect(parts.map((part) => part.text)).toEqual([
      'reader+1@example.com\nreader+2@example.com\n',
      'reader+3@example.com\n',
    ]);
    expect(readBack(parts)).toEqual(parseSubscriberCsv(text).rows);
  });

  it('refuses a file without a header line whose part would read with another separator', () => {
    const text = 'ada@example.com;Ada\ngrace@example.com;Hopper, Grace\n';

    expect(() => split(text, { maxBytes: 1024, maxRows: 1 })).toThrow(
      new CsvSplitError(
        'lines 2–2 of the file would not read alone as they read in the whole file, so it cannot be sent in parts: give it a header line naming its columns (email,name); nothing was imported',
      ),
    );
  });

  it('refuses a row that cannot fit in a part with the header', () => {
    const text = `email,note\nada@example.com,${'x'.repeat(100)}\n`;

    expect(() => split(text, { maxBytes: 100, maxRows: 10 })).toThrow(
      /^the row on line 2 is too large to send: with the header line it is over 100 bytes/,
    );
  });

  it('makes no part of a file without a good row', () => {
    expect(split('email\nnope\n')).toEqual([]);
    expect(split('')).toEqual([]);
  });
});
