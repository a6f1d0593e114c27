import { type SignedFetchOptions, signedFetch } from '#adapters/signed-fetch.ts';
import type { ApiErrorBody } from '#app/editor-api/api-error.ts';
import { ConfigError } from '#core/common/config.ts';
import { EDITOR_API_URL_ENV } from '#core/editor/editor-routes.ts';
import { TARGET_ENV } from '../target.ts';

/** A refusal of the editor API, as the command reports it: the API's own message and code. */
export class EditorApiError extends Error {
  override name = 'EditorApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a request carries besides its method and path. */
export interface EditorApiRequest {
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body, with its content type. */
  body?: { bytes: Uint8Array | string; contentType: string };
}

/**
 * The editor API of a deployed stack (`NEWSLETTER_TARGET=aws`), every request signed with the
 * editor's own AWS credentials (`signedFetch`): what the CLI calls instead of the tables, the
 * bucket and the queues, so that an editor needs nothing but `execute-api:Invoke` on the
 * routes of their role. Locally, `newsletter serve` answers the same routes under `/editor`.
 */
export class EditorApiClient {
  constructor(
    /** The API's base URL, its mount included (`https://…/editor`). */
    readonly baseUrl: string,
    private readonly signing: SignedFetchOptions,
  ) {}

  /** The answer's JSON body; a refusal throws an {@link EditorApiError} with its message. */
  async json<T>(method: string, path: string, request: EditorApiRequest = {}): Promise<T> {
    return (await this.send(method, path, request)).json() as Promise<T>;
  }

  /** The answer's text body (an export); a refusal throws as {@link json} does. */
  async text(method: string, path: string, request: EditorApiRequest = {}): Promise<string> {
    return (await this.send(method, path, request)).text();
  }

  /**
   * Sends `request` on to the same path below the API, signed, and answers what the API
   * answers, a refusal included (the studio's `/api` on a deployed stack).
   * @param path the path below the API's base, with its query (`/issues?x=1`)
   */
  async forward(request: Request, path: string): Promise<Response> {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}${path}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    const type = request.headers.get('content-type');
    if (type) headers['content-type'] = type;
    const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
    return signedFetch(
      new Request(url, { method: request.method, headers, ...(body ? { body } : {}) }),
      this.signing,
    );
  }

  private async send(method: string, path: string, request: EditorApiRequest) {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: Uint8Array | string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      headers['content-type'] = request.body.contentType;
      body = request.body.bytes;
    }
    const answer = await signedFetch(
      new Request(url, { method, headers, ...(body === undefined ? {} : { body }) }),
      this.signing,
    );
    if (answer.ok) return answer;
    throw await refusalOf(answer, method, url);
  }
}

/** The editor API of `NEWSLETTER_EDITOR_API_URL`, signed for `AWS_REGION`. */
export function editorApiClientFromEnv(env = process.env): EditorApiClient {
  const baseUrl = env[EDITOR_API_URL_ENV];
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const missing = [...(baseUrl ? [] : [EDITOR_API_URL_ENV]), ...(region ? [] : ['AWS_REGION'])];
  if (!baseUrl || !region) {
    throw new ConfigError(
      `${TARGET_ENV}=aws needs the stack's variables (its CliEnvironment output); missing: ${missing.join(', ')}`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError(`${EDITOR_API_URL_ENV}: not a URL`);
  }
  // Signatures travel in headers: in clear text they could be replayed for five minutes.
  const local = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol !== 'https:' && !(local && parsed.protocol === 'http:')) {
    throw new ConfigError(`${EDITOR_API_URL_ENV}: must be an https: URL`);
  }
  return new EditorApiClient(baseUrl, { region });
}

/** The error a refused request throws: the API's message, and every detail on its own line. */
async function refusalOf(answer: Response, method: string, url: URL): Promise<EditorApiError> {
  const text = await answer.text();
  let body: Partial<ApiErrorBody> = {};
  try {
    body = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    // Not the API's error format: a gateway's own answer (403 of IAM, 5xx of a timeout).
  }
  const error = body.error;
  if (!error) {
    const why = answer.status === 403 ? ' (does your IAM identity have the role for it?)' : '';
    return new EditorApiError(
      answer.status,
      `http-${answer.status}`,
      `the editor API answered ${answer.status} to ${method} ${url.pathname}${why}: ${text.slice(0, 200)}`,
    );
  }
  const place = [
    error.template,
    error.line === undefined ? undefined : `line ${error.line}`,
  ].filter(Boolean);
  const details = (error.details ?? []).map(
    (detail) =>
      `\n  ${detail.line === undefined ? '' : `line ${detail.line}: `}${detail.field && !detail.message.startsWith(detail.field) ? `${detail.field}: ` : ''}${detail.message}`,
  );
  const message = `${error.message}${place.length > 0 ? ` (${place.join(', ')})` : ''}${details.join('')}`;
  return new EditorApiError(answer.status, error.code, message);
}
