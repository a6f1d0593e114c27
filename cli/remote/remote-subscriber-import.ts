import { bodyLimits } from '#app/editor-api/body-limits.ts';
import type { ImportSubscribersSummary } from '#core/subscribers/import-subscribers.ts';
import type {
  ParsedSubscriberCsv,
  SubscriberCsvError,
} from '#core/subscribers/parse-subscriber-csv.ts';
import type { SubscriberStatus } from '#core/subscribers/ports.ts';
import { type EditorApiClient, EditorApiError } from './editor-api-client.ts';
import {
  type CsvSplitLimits,
  type SubscriberCsvPart,
  splitSubscriberCsv,
} from './split-subscriber-csv.ts';

/**
 * Good rows per request. API Gateway waits 30 s for the editor API, a cold start included.
 * Each row is four DynamoDB calls one after the other (the suppression, the address, two
 * conditional writes: some 20 ms), eight rows at a time, and the SDK's CPU for each call on
 * the function's one vCPU: some 3 to 4 ms a row, so 2,000 rows take well under 10 s, a third
 * of the wait, leaving room for a cold start, retries of throttled writes and a slow moment.
 * A request of 2,000 short rows is some 60 KB; rows over 524 bytes each (many ignored
 * columns) meet the 1 MiB body limit first.
 */
export const IMPORT_ROWS_PER_REQUEST = 2_000;

/**
 * Good rows per request with `--confirm`: each new row is also a confirmation email, and a
 * new SES account takes 14 a second, so 200 rows take some 15 s at that pace.
 */
export const CONFIRM_ROWS_PER_REQUEST = 200;

export interface RemoteImportOptions {
  strict: boolean;
  confirm: boolean;
}

/** The limits of one part of an import: the route's body limit, and the rows above. */
export function importLimits(options: { confirm: boolean }): CsvSplitLimits {
  return {
    maxBytes: bodyLimits.subscribers,
    maxRows: options.confirm ? CONFIRM_ROWS_PER_REQUEST : IMPORT_ROWS_PER_REQUEST,
  };
}

/**
 * `subscribers import` on a deployed stack: the file, read whole by the core parser
 * (`parsed`), sent as `POST /subscribers` in parts (`splitSubscriberCsv`), one after the
 * other, and their summaries added up into the one `importSubscribers` gives locally, every
 * line counted in the file. The bad rows are those of the whole file (the stack's own
 * refusals, if it has more, are added at their lines in the file). Nothing is sent when
 * nothing would be imported: with `strict` and a bad row anywhere in the file (so a strict
 * import is all or nothing whatever the file's size), or when the file has no good row.
 * @throws EditorApiError of the part refused, saying which lines were imported before it
 */
export async function remoteSubscriberImport(
  api: EditorApiClient,
  text: string,
  parsed: ParsedSubscriberCsv,
  options: RemoteImportOptions,
  limits: CsvSplitLimits = importLimits(options),
): Promise<ImportSubscribersSummary> {
  const summary: ImportSubscribersSummary = {
    rows: 0,
    added: {},
    unchanged: {},
    held: 0,
    confirmationsSent: 0,
    confirmationsRejected: 0,
    errors: [],
    stopped: false,
  };
  if (options.strict && parsed.errors.length > 0) {
    return { ...summary, rows: parsed.rows.length, errors: parsed.errors, stopped: true };
  }
  const parts = splitSubscriberCsv(text, parsed, limits);
  const refusedByStack: SubscriberCsvError[] = [];
  for (const [index, part] of parts.entries()) {
    const answer = await sendPart(api, part, options).catch((error: unknown) => {
      throw partFailed(error, parts, index);
    });
    summary.rows += answer.rows;
    addTally(summary.added, answer.added);
    addTally(summary.unchanged, answer.unchanged);
    summary.held += answer.held;
    summary.confirmationsSent += answer.confirmationsSent;
    summary.confirmationsRejected += answer.confirmationsRejected;
    for (const error of answer.errors) {
      refusedByStack.push({ line: error.line + part.lineOffset, message: error.message });
    }
  }
  summary.errors = [...parsed.errors, ...refusedByStack].sort((a, b) => a.line - b.line);
  return summary;
}

function sendPart(
  api: EditorApiClient,
  part: SubscriberCsvPart,
  options: RemoteImportOptions,
): Promise<ImportSubscribersSummary> {
  return api.json<ImportSubscribersSummary>('POST', '/subscribers', {
    query: {
      strict: options.strict ? '1' : undefined,
      confirm: options.confirm ? '1' : undefined,
    },
    body: { bytes: part.text, contentType: 'text/csv; charset=utf-8' },
  });
}

function addTally(
  into: Partial<Record<SubscriberStatus, number>>,
  from: Partial<Record<SubscriberStatus, number>>,
): void {
  for (const [status, count] of Object.entries(from) as [SubscriberStatus, number][]) {
    into[status] = (into[status] ?? 0) + count;
  }
}

/**
 * The error of a part that failed, its rows' lines counted in the file, saying what was
 * imported before it: importing the file again is safe (an address present keeps its status).
 */
function partFailed(error: unknown, parts: SubscriberCsvPart[], index: number): Error {
  const part = parts[index] as SubscriberCsvPart;
  if (!(error instanceof Error)) return new Error(String(error));
  // A part the stack refuses for its rows (`csv-rows`) lists them as `line N: …` of the part.
  const message =
    error instanceof EditorApiError && error.code === 'csv-rows'
      ? error.message.replace(
          /\n {2}line (\d+): /g,
          (_, line: string) => `\n  line ${Number(line) + part.lineOffset}: `,
        )
      : error.message;
  const which = `request ${index + 1} of ${parts.length}, lines ${part.firstLine}–${part.lastLine} of the file`;
  const note =
    parts.length === 1
      ? ''
      : index === 0
        ? `\n  (${which}; nothing more was sent)`
        : `\n  (${which}; lines ${parts[0]?.firstLine}–${part.firstLine - 1} were imported by the requests before it: importing the file again is safe, an address already present keeps its status)`;
  if (note === '' && message === error.message) return error;
  return error instanceof EditorApiError
    ? new EditorApiError(error.status, error.code, `${message}${note}`)
    : new Error(`${message}${note}`, { cause: error });
}
