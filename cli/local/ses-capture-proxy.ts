// The local SES. An emulator such as aws-ses-v2-local could sit behind this proxy; we do not start it, and
// answer every request here instead, because forwarding would bring nothing the project
// uses and costs what the design wants to avoid:
// - the project calls SES v1 `SendRawEmail` and `GetSendQuota` only. The emulator drops the
//   headers of raw sends, so the outbox written here is the only faithful record anyway,
//   and it never answers `GetSendQuota` (nor any action it lacks: the request hangs);
// - it keeps every message in memory (about 1 GB per 10,000) until its store is cleared;
// - loading it (Express, mailparser, nodemailer) adds about 230 ms to every command that
//   starts the local services.
// Any other action gets SES's `InvalidAction` error at once, so no client ever waits.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { localFaultsSeed } from './fault-draw.ts';
import { type SesEngagement, sesEngagementFromEnv } from './ses-engagement.ts';
import { type LocalEngagement, sesEvents } from './ses-events-of.ts';
import { type SesFaults, sesFaultOf, sesFaultsFromEnv } from './ses-faults.ts';

/** The sending limits the local SES reports through `GetSendQuota`, as SES does. */
export interface SendQuota {
  /** Messages allowed in 24 hours. */
  max24HourSend: number;
  /** Messages per second. */
  maxSendRate: number;
}

/** What the outbox keeps beside each accepted raw message (`<name>.json` by `<name>.eml`). */
export interface OutboxRecord {
  /** The MessageId the local SES answered with. */
  messageId: string;
  /** `Destinations` of the call, in order (empty when the call named none). */
  destinations: string[];
  configurationSet: string | null;
  /** The message tags of the call, name to value. */
  tags: Record<string, string>;
  /** `Source` of the call, when given. */
  source: string | null;
  /** When the message was accepted, ISO 8601 in UTC. */
  acceptedAt: string;
}

export interface SesCaptureProxyOptions {
  /** Folder for the captured messages; created if missing. */
  outboxDir: string;
  sendQuota: SendQuota;
  /**
   * Shares of `SendRawEmail` calls that fail on purpose. Default: from
   * `NEWSLETTER_LOCAL_SES_FAULTS` (see `parseSesFaults`), else none.
   */
  faults?: SesFaults;
  /**
   * Decides, with each call's issue, recipients and attempt, which calls fail (see
   * `sesFaultOf`), and which readers open and click (see `engagementOf`). Default:
   * `NEWSLETTER_LOCAL_FAULTS_SEED`, else one drawn per process.
   */
  faultsSeed?: string;
  /**
   * Shares of delivered messages whose reader opens them or clicks a link: their `Open` and
   * `Click` events are published. Default: from `NEWSLETTER_LOCAL_SES_ENGAGEMENT` (see
   * `parseSesEngagement`), else none.
   */
  engagement?: SesEngagement;
}

/** Publishes one SES event (its JSON) to where the configuration set sends events. */
export type PublishSesEvent = (message: string) => Promise<void>;

/** A running local SES endpoint. */
export interface SesCaptureProxy {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /**
   * From now on, publishes SES's events for each message accepted through a configuration
   * set: `Send`, a `Delivery` unless the address is the mailbox simulator's `bounce@` (a
   * `Bounce`), a `Complaint` for its `complaint@`, and with `engagement` the `Open` and
   * `Click` of the readers drawn. First publishes again the events of every message accepted since the last
   * {@link checkpointEvents} (a crash may have lost them before they were applied).
   * @returns how many events were published again
   */
  publishEventsTo(publish: PublishSesEvent): Promise<number>;
  /**
   * Records that every event published so far has been applied, so that the next start
   * need not publish them again. Call it only once the events queue is drained.
   */
  checkpointEvents(): Promise<void>;
  close(): Promise<void>;
}

const SES_NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';
/** SES's limit on a raw message, after base64 decoding. */
const MAX_RAW_MESSAGE_BYTES = 10 * 1024 * 1024;
/** Past this a request body is not kept: base64 of the largest message plus parameters. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const TAG_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
/** In the outbox: events of messages whose name sorts before its content were applied. */
const CHECKPOINT_FILE = '.events-checkpoint';

/** What the local SES keeps between requests. */
interface ProxyState {
  options: SesCaptureProxyOptions;
  faults: SesFaults;
  faultsSeed: string;
  engagement: LocalEngagement;
  /** Calls so far per issue and recipients, for the attempt number of the next. */
  attempts: Map<string, number>;
  names: () => string;
  publish?: PublishSesEvent;
  /** Base name of the last message accepted. */
  lastAccepted?: string;
  /** Base name of the first message whose events could not be published. */
  firstUnpublished?: string;
}

/**
 * Starts the local SES on a free loopback port. `SendRawEmail` writes the raw message, byte
 * for byte, to `<outboxDir>/<sortable time>-<messageId>.eml` and then its
 * {@link OutboxRecord} to the `.json` beside it, each file complete before it appears; a
 * message counts as accepted once its `.json` exists (a `.eml` left alone by a crash is
 * removed at the next start: it was never accepted). `GetSendQuota` answers from
 * `sendQuota`, counting the last 24 hours of the outbox as sent.
 */
export async function startSesCaptureProxy(
  options: SesCaptureProxyOptions,
): Promise<SesCaptureProxy> {
  await mkdir(options.outboxDir, { recursive: true });
  await removeUnaccepted(options.outboxDir);
  const faultsSeed = options.faultsSeed ?? localFaultsSeed();
  const state: ProxyState = {
    options,
    faults: options.faults ?? sesFaultsFromEnv(),
    faultsSeed,
    engagement: { shares: options.engagement ?? sesEngagementFromEnv(), seed: faultsSeed },
    attempts: new Map(),
    names: sortableNames(),
  };
  const server = createServer((request, response) => {
    handle(request, response, state).catch((error: unknown) => {
      sendError(response, 500, 'InternalFailure', `The local SES failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publishEventsTo: (publish) => publishEventsTo(state, publish),
    checkpointEvents: () => checkpointEvents(state),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  state: ProxyState,
): Promise<void> {
  const { options } = state;
  const body = await readBody(request);
  if (body === undefined) {
    sendError(response, 413, 'InvalidParameterValue', 'The request is larger than SES accepts.');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const isForm = (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
  const params = new URLSearchParams(url.search);
  for (const [key, value] of new URLSearchParams(isForm ? body.toString('utf8') : '')) {
    params.append(key, value);
  }
  const action = params.get('Action');
  if (action === 'SendRawEmail') return sendRawEmail(params, response, state);
  if (action === 'GetSendQuota') return getSendQuota(response, options);
  if (action === null && request.method === 'GET' && url.pathname === '/') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Local SES. Accepted messages are written to ${options.outboxDir}\n`);
    return;
  }
  const what = action === null ? `${request.method} ${url.pathname}` : `the action ${action}`;
  sendError(
    response,
    400,
    'InvalidAction',
    `The local SES supports SendRawEmail and GetSendQuota only, not ${what}.`,
  );
}

async function sendRawEmail(
  params: URLSearchParams,
  response: ServerResponse,
  state: ProxyState,
): Promise<void> {
  const data = params.get('RawMessage.Data');
  if (data === null || data === '') {
    sendError(response, 400, 'InvalidParameterValue', 'RawMessage.Data is required.');
    return;
  }
  const raw = Buffer.from(data, 'base64');
  if (raw.length > MAX_RAW_MESSAGE_BYTES) {
    sendError(
      response,
      400,
      'InvalidParameterValue',
      `Message length is more than ${MAX_RAW_MESSAGE_BYTES} bytes long: '${raw.length}'.`,
    );
    return;
  }
  const tags = memberTags(params);
  const badTag = Object.entries(tags).find(
    ([name, value]) => !TAG_PATTERN.test(name) || !TAG_PATTERN.test(value),
  );
  if (badTag) {
    sendError(
      response,
      400,
      'InvalidParameterValue',
      `Invalid tag ${badTag[0]}=${badTag[1]}: names and values may contain only ASCII ` +
        'letters, digits, underscores and dashes, 256 characters at most.',
    );
    return;
  }
  const destinations = memberList(params, 'Destinations');
  const fault = sesFaultOf(state.faults, state.faultsSeed, nextAttempt(state, tags, destinations));
  if (fault === 'throttle') {
    sendError(response, 400, 'Throttling', 'Maximum sending rate exceeded.');
    return;
  }
  if (fault === 'error') {
    sendError(response, 500, 'InternalFailure', 'An internal failure occurred (injected).');
    return;
  }
  if (fault === 'reset') {
    // The connection drops before SES took the message: the caller cannot tell.
    response.socket?.destroy();
    return;
  }
  const acceptedAt = new Date();
  const messageId = sesMessageId(acceptedAt);
  const record: OutboxRecord = {
    messageId,
    destinations,
    configurationSet: params.get('ConfigurationSetName'),
    tags,
    source: params.get('Source'),
    acceptedAt: acceptedAt.toISOString(),
  };
  const name = `${state.names()}-${messageId}`;
  const base = path.join(state.options.outboxDir, name);
  await writeAtomically(`${base}.eml`, raw);
  try {
    await writeAtomically(`${base}.json`, `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    await unlink(`${base}.eml`).catch(() => {});
    throw error;
  }
  state.lastAccepted = name;
  // Published before the answer, as SES may: the event can be applied before the caller
  // hears that the message was taken.
  await publishEventsOf(state, name, record, raw);
  if (fault === 'lost') {
    // Accepted, its events published, and the answer lost on the way back.
    response.socket?.destroy();
    return;
  }
  sendXml(
    response,
    'SendRawEmail',
    `<SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult>`,
  );
}

/** Counts the call among those to the same recipients for the same issue. */
function nextAttempt(state: ProxyState, tags: Record<string, string>, recipients: string[]) {
  const issueId = tags.issueId ?? '';
  const key = JSON.stringify([issueId, recipients]);
  const attempt = (state.attempts.get(key) ?? 0) + 1;
  state.attempts.set(key, attempt);
  return { issueId, recipients, attempt };
}

async function publishEventsOf(
  state: ProxyState,
  name: string,
  record: OutboxRecord,
  raw: Buffer,
): Promise<void> {
  // Until events have somewhere to go, the outbox keeps them: they are published then.
  if (!state.publish) return;
  try {
    for (const event of sesEvents(record, raw, state.engagement)) {
      await state.publish(JSON.stringify(event));
    }
  } catch {
    // Kept for the next start: the checkpoint never passes a message whose events failed.
    if (state.firstUnpublished === undefined || name < state.firstUnpublished) {
      state.firstUnpublished = name;
    }
  }
}

async function publishEventsTo(state: ProxyState, publish: PublishSesEvent): Promise<number> {
  state.publish = publish;
  const dir = state.options.outboxDir;
  const checkpoint = await readFile(path.join(dir, CHECKPOINT_FILE), 'utf8').catch(() => '');
  const names = (await readdir(dir))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .filter((name) => name >= checkpoint.trim())
    .sort();
  let published = 0;
  for (const name of names) {
    const record = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8'));
    const raw = await readFile(path.join(dir, `${name}.eml`));
    for (const event of sesEvents(record, raw, state.engagement)) {
      await publish(JSON.stringify(event));
      published++;
    }
    if (state.lastAccepted === undefined || name > state.lastAccepted) state.lastAccepted = name;
  }
  return published;
}

async function checkpointEvents(state: ProxyState): Promise<void> {
  // Names are `<time>-<sequence>-<id>`: '~' sorts after every character in them.
  const next =
    state.firstUnpublished ?? (state.lastAccepted ? `${state.lastAccepted}~` : undefined);
  if (next !== undefined) {
    await writeAtomically(path.join(state.options.outboxDir, CHECKPOINT_FILE), next);
  }
}

/** Removes what a crash may leave: a message without its record, and half-written files. */
async function removeUnaccepted(dir: string): Promise<void> {
  const files = new Set(await readdir(dir));
  for (const file of files) {
    const orphan = file.endsWith('.eml') && !files.has(`${file.slice(0, -'.eml'.length)}.json`);
    if (orphan || file.endsWith('.tmp')) await unlink(path.join(dir, file)).catch(() => {});
  }
}

async function getSendQuota(
  response: ServerResponse,
  options: SesCaptureProxyOptions,
): Promise<void> {
  const since = sortableTime(new Date(Date.now() - 24 * 60 * 60 * 1000));
  const files = await readdir(options.outboxDir);
  const sent = files.filter((file) => file.endsWith('.json') && file >= since).length;
  const { max24HourSend, maxSendRate } = options.sendQuota;
  sendXml(
    response,
    'GetSendQuota',
    '<GetSendQuotaResult>' +
      `<Max24HourSend>${max24HourSend.toFixed(1)}</Max24HourSend>` +
      `<MaxSendRate>${maxSendRate.toFixed(1)}</MaxSendRate>` +
      `<SentLast24Hours>${sent.toFixed(1)}</SentLast24Hours>` +
      '</GetSendQuotaResult>',
  );
}

/** `Name.member.N` parameters, in the order of N. */
function memberList(params: URLSearchParams, name: string): string[] {
  const pattern = new RegExp(`^${name}\\.member\\.(\\d+)$`);
  const members: Array<[number, string]> = [];
  for (const [key, value] of params) {
    const match = pattern.exec(key);
    if (match) members.push([Number(match[1]), value]);
  }
  return members.sort(([a], [b]) => a - b).map(([, value]) => value);
}

/** `Tags.member.N.Name` / `.Value` pairs as a name-to-value map. */
function memberTags(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, name] of params) {
    const match = /^Tags\.member\.(\d+)\.Name$/.exec(key);
    if (match) tags[name] = params.get(`Tags.member.${match[1]}.Value`) ?? '';
  }
  return tags;
}

/** A MessageId shaped like SES's: 0100, the time in hex milliseconds, a UUID, 000000. */
function sesMessageId(at: Date): string {
  return `0100${at.getTime().toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** `20250102T030405678Z`: UTC to the millisecond, which sorts as text. */
function sortableTime(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Names that sort in the order they are handed out, also within one millisecond and if
 * the clock steps back: the time, then a sequence number.
 */
function sortableNames(): () => string {
  let last = '';
  let sequence = 0;
  return () => {
    const now = sortableTime(new Date());
    if (now > last) {
      last = now;
      sequence = 0;
    } else {
      sequence++;
    }
    return `${last}-${String(sequence).padStart(6, '0')}`;
  };
}

async function writeAtomically(file: string, content: Buffer | string): Promise<void> {
  const draft = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(draft, content);
    await rename(draft, file);
  } catch (error) {
    await unlink(draft).catch(() => {});
    throw error;
  }
}

/** The body, or undefined when it is larger than {@link MAX_BODY_BYTES}. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading past the limit, so the client finishes sending and reads the answer.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}

function sendXml(response: ServerResponse, action: string, result: string): void {
  response.writeHead(200, { 'content-type': 'text/xml' });
  response.end(
    `<${action}Response xmlns="${SES_NAMESPACE}">${result}` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
      `</${action}Response>`,
  );
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  // SES tells whose fault an error is: the caller's (4xx) or its own (5xx).
  const type = status >= 500 ? 'Receiver' : 'Sender';
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<ErrorResponse xmlns="${SES_NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId>` +
      '</ErrorResponse>',
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
