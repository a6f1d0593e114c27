import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubscriberName } from '#core/subscribers/email-address.ts';
import { formatSubscriberCsv, parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';

describe('parseSubscriberCsv', () => {
  it('reads the email and name columns named by the header', () => {
    const parsed = parseSubscriberCsv('email,name\nada@example.com,Ada Lovelace\n');

    expect(parsed).toEqual({
      rows: [{ line: 2, email: 'ada@example.com', name: 'Ada Lovelace' }],
      errors: [],
      ignoredColumns: [],
    });
  });

  it('finds the columns by common names, in any order and case, and ignores the rest', () => {
    const csv =
      'Signed up,Last Name,E-mail Address,First Name\n2024-01-02,Hopper,grace@example.com,Grace\n';

    const parsed = parseSubscriberCsv(csv);

    expect(parsed.rows).toEqual([{ line: 2, email: 'grace@example.com', name: 'Grace Hopper' }]);
    expect(parsed.ignoredColumns).toEqual(['Signed up']);
  });

  it('reports each bad row with the line it is on and keeps the good ones', () => {
    const csv = [
      'email,name',
      'ada@example.com,Ada',
      'not-an-address,Nobody',
      ',Blank',
      'grace@example.com,Grace,extra',
      'linus@example.com,Linus',
    ].join('\n');

    const parsed = parseSubscriberCsv(csv);

    expect(parsed.rows.map((row) => row.line)).toEqual([2, 6]);
    expect(parsed.errors).toEqual([
      { line: 3, message: '"not-an-address" is not an email address' },
      { line: 4, message: 'the email address is missing' },
      { line: 5, message: 'expected 2 fields, found 3' },
    ]);
  });

  it('counts lines inside quoted fields, so later rows keep their real line numbers', () => {
    const csv = 'email,note\r\nada@example.com,"met at the fair,\r\nsaid ""yes"""\r\nbad,x\r\n';

    const parsed = parseSubscriberCsv(csv);

    expect(parsed.errors).toEqual([{ line: 4, message: '"bad" is not an email address' }]);
  });

  it('refuses a name with a line break', () => {
    const parsed = parseSubscriberCsv('email,name\nada@example.com,"Ada\nLovelace"\n');

    expect(parsed.errors).toEqual([
      { line: 2, message: 'name must not contain control characters' },
    ]);
  });

  it('reports an address given twice, naming the line it was first on', () => {
    const parsed = parseSubscriberCsv('email\nada@example.com\n\nADA@example.com\n');

    expect(parsed.errors).toEqual([{ line: 4, message: 'same address as line 2' }]);
  });

  it('reports a quote left open on the line where its row begins', () => {
    const parsed = parseSubscriberCsv(
      'email,name\nada@example.com,Ada\ngrace@example.com,"Grace\n',
    );

    expect(parsed.errors).toEqual([
      { line: 3, message: 'a quoted field opened on this line is never closed' },
    ]);
    expect(parsed.rows).toHaveLength(1);
  });

  it('reads a file without a header as email and name', () => {
    const parsed = parseSubscriberCsv('ada@example.com,Ada\ngrace@example.com\n');

    expect(parsed.rows).toEqual([
      { line: 1, email: 'ada@example.com', name: 'Ada' },
      { line: 2, email: 'grace@example.com' },
    ]);
  });

  it('says what the first line must be when it names no email column', () => {
    const parsed = parseSubscriberCsv('who,what\nada,x\n');

    expect(parsed.errors).toEqual([
      {
        line: 1,
        message:
          'the first line must name the columns, with one called "email" (and optionally "name")',
      },
    ]);
  });

  it('accepts a byte order mark and semicolons, as spreadsheets write them', () => {
    const parsed = parseSubscriberCsv('\uFEFFEmail;Name\nada@example.com;Ada, Countess\n');

    expect(parsed.rows).toEqual([{ line: 2, email: 'ada@example.com', name: 'Ada, Countess' }]);
  });

  it('reads back what formatSubscriberCsv wrote, including names a spreadsheet would run', () => {
    const subscriber = fc.record({
      email: fc.constantFrom('ada@example.com', 'grace@example.org', 'x.y+z@example.net'),
      name: fc.option(
        fc
          .string({ minLength: 1, maxLength: 40 })
          .filter((name) => parseSubscriberName(name).ok && name.trim() === name),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.uniqueArray(subscriber, { selector: (s) => s.email }), (subscribers) => {
        const csv = formatSubscriberCsv(
          subscribers.map((s) => ({
            ...s,
            status: 'active',
            source: 'cli',
            createdAt: '2025-03-07T08:00:00.000Z',
          })),
        );

        const parsed = parseSubscriberCsv(csv);

        expect(parsed.errors).toEqual([]);
        expect(parsed.rows.map(({ email, name }) => ({ email, name }))).toEqual(
          subscribers.map(({ email, name }) => ({ email, name })),
        );
      }),
    );
  });

  it('never throws, and places every error on a line of the file', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '@', '.', ',', '"', '\n', '\r', ' ', ';', 'e') }),
        (csv) => {
          const parsed = parseSubscriberCsv(`email,name\n${csv}`);
          const lines = `email,name\n${csv}`.split(/\r\n|\r|\n/).length;
          for (const { line } of [...parsed.errors, ...parsed.rows]) {
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(lines);
          }
        },
      ),
    );
  });
});

describe('formatSubscriberCsv', () => {
  it('keeps a name starting with = from running as a formula in a spreadsheet', () => {
    const csv = formatSubscriberCsv([
      {
        email: 'ada@example.com',
        name: '=HYPERLINK("https://evil.example")',
        status: 'active',
        source: 'form',
        createdAt: '2025-03-07T08:00:00.000Z',
      },
    ]);

    expect(csv.split('\r\n')[1]).toBe(
      `ada@example.com,"'=HYPERLINK(""https://evil.example"")",active,form,2025-03-07T08:00:00.000Z`,
    );
  });

  // Regression: a name that itself began with a quote before =, such as "'=!", lost its
  // quote on the way back, since reading took off the quote that writing had not added.
  it('gives back a name that itself starts with a quote before a formula sign', () => {
    const csv = formatSubscriberCsv([
      {
        email: 'ada@example.com',
        name: "'=!",
        status: 'active',
        source: 'form',
        createdAt: '2025-03-07T08:00:00.000Z',
      },
    ]);

    expect(parseSubscriberCsv(csv).rows.map((row) => row.name)).toEqual(["'=!"]);
  });
});
