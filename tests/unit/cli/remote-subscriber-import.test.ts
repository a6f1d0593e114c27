import { describe, expect, it } from 'vitest';
import {
  EditorApiClient,
  EditorApiError,
  type EditorApiRequest,
} from '#cli/remote/editor-api-client.ts';
import { remoteSubscriberImport } from '#cli/remote/remote-subscriber-import.ts';
import type { ImportSubscribersSummary } from '#core/subscribers/import-subscribers.ts';
import { parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';

interface SentPart {
  path: string;
  query: EditorApiRequest['query'];
  text: string;
}

/**
 * A stack that imports each CSV it is sent as `answer` says, given what the core parser reads
 * in it; it records what it was sent.
 */
class FakeStack extends EditorApiClient {
  readonly sent: SentPart[] = [];

  constructor(
    private readonly answer: (
      read: ReturnType<typeof parseSubscriberCsv>,
      index: number,
    ) => ImportSubscribersSummary,
  ) {
    super('http://127.0.0.1:9/editor', { region: 'us-east-1' });
  }

  override async json<T>(method: string, path: string, request: EditorApiRequest = {}) {
    const text = String(request.body?.bytes);
    this.sent.push({ path: `${method} ${path}`, query: request.query, text });
    return this.answer(parseSubscriberCsv(text), this.sent.length - 1) as T;
  }
}

function imported(read: ReturnType<typeof parseSubscriberCsv>): ImportSubscribersSummary {
  return {
    rows: read.rows.length,
    added: { active: read.rows.length },
    unchanged: {},
    held: 0,
    confirmationsSent: 0,
    confirmationsRejected: 0,
    errors: read.errors,
    stopped: false,
  };
}

const file = [
  'email,note',
  'ada@example.com,"two',
  'lines"',
  'nope,',
  'grace@example.com,',
  'linus@example.com,',
  'ada@example.com,again',
  'alan@example.com,',
  '',
].join('\n');
const limits = { maxBytes: 1024, maxRows: 2 };

describe('remoteSubscriberImport', () => {
  it("adds up the parts' summaries, every bad row at its line in the file", async () => {
    const stack = new FakeStack(imported);

    const summary = await remoteSubscriberImport(
      stack,
      file,
      parseSubscriberCsv(file),
      { strict: false, confirm: true },
      limits,
    );

    expect(stack.sent.map((part) => [part.path, part.query])).toEqual([
      ['POST /subscribers', { strict: undefined, confirm: '1' }],
      ['POST /subscribers', { strict: undefined, confirm: '1' }],
    ]);
    expect(summary).toEqual({
      rows: 4,
      added: { active: 4 },
      unchanged: {},
      held: 0,
      confirmationsSent: 0,
      confirmationsRejected: 0,
      errors: [
        { line: 4, message: '"nope" is not an email address' },
        { line: 7, message: 'same address as line 2' },
      ],
      stopped: false,
    });
  });

  it('adds the rows the stack alone refuses at their lines in the file', async () => {
    // A stack whose parser refuses the first row of each part it is sent.
    const stack = new FakeStack((read) => {
      const [first, ...rest] = read.rows;
      return imported({
        ...read,
        rows: rest,
        errors: first ? [{ line: first.line, message: 'refused by the stack' }] : [],
      });
    });

    const summary = await remoteSubscriberImport(
      stack,
      file,
      parseSubscriberCsv(file),
      { strict: false, confirm: false },
      limits,
    );

    expect(summary.rows).toBe(2);
    expect(summary.errors).toEqual([
      { line: 2, message: 'refused by the stack' },
      { line: 4, message: '"nope" is not an email address' },
      { line: 6, message: 'refused by the stack' },
      { line: 7, message: 'same address as line 2' },
    ]);
  });

  it('with strict sends nothing when any row of the file is bad', async () => {
    const stack = new FakeStack(imported);

    const summary = await remoteSubscriberImport(
      stack,
      file,
      parseSubscriberCsv(file),
      { strict: true, confirm: false },
      limits,
    );

    expect(stack.sent).toEqual([]);
    expect(summary).toMatchObject({ rows: 4, added: {}, stopped: true });
    expect(summary.errors.map((error) => error.line)).toEqual([4, 7]);
  });

  it('with strict and no bad row asks the stack for a strict import of each part', async () => {
    const good = 'email\nada@example.com\ngrace@example.com\nlinus@example.com\n';
    const stack = new FakeStack(imported);

    await remoteSubscriberImport(
      stack,
      good,
      parseSubscriberCsv(good),
      { strict: true, confirm: false },
      limits,
    );

    expect(stack.sent.map((part) => part.query)).toEqual([
      { strict: '1', confirm: undefined },
      { strict: '1', confirm: undefined },
    ]);
  });

  it('sends nothing for a file without a good row', async () => {
    const stack = new FakeStack(imported);
    const bad = 'email\nnope\n';

    const summary = await remoteSubscriberImport(
      stack,
      bad,
      parseSubscriberCsv(bad),
      { strict: false, confirm: false },
      limits,
    );

    expect(stack.sent).toEqual([]);
    expect(summary).toMatchObject({ rows: 0, errors: [{ line: 2 }], stopped: false });
  });

  it('says which lines were imported when a later part is refused, its lines in the file', async () => {
    const stack = new FakeStack((read, index) => {
      if (index === 0) return imported(read);
      throw new EditorApiError(
        422,
        'csv-rows',
        'A row of the CSV cannot be imported; nothing was imported.\n  line 2: refused',
      );
    });

    const failing = remoteSubscriberImport(
      stack,
      file,
      parseSubscriberCsv(file),
      { strict: false, confirm: false },
      limits,
    );

    await expect(failing).rejects.toThrow(
      new EditorApiError(
        422,
        'csv-rows',
        'A row of the CSV cannot be imported; nothing was imported.\n  line 6: refused\n  (request 2 of 2, lines 6–8 of the file; lines 2–5 were imported by the requests before it: importing the file again is safe, an address already present keeps its status)',
      ),
    );
    expect(stack.sent).toHaveLength(2);
  });
});
