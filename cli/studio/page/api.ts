import type { ApiErrorBody } from './api-types.ts';

/** A refusal or failure of the server, with the editor API's error body when it gave one. */
export class StudioApiError extends Error {
  override name = 'StudioApiError';

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/**
 * Requests to the studio's server. Changes (POST, DELETE) carry the page's token in
 * `X-Studio-Token`, as the server requires; a JSON body is sent as `application/json`, an
 * action without options with no body at all.
 */
export class StudioApi {
  constructor(private readonly token: string) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['x-studio-token'] = this.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) throw new StudioApiError(response.status, errorBody(response, parsed, text));
    if (parsed === undefined) {
      throw new StudioApiError(response.status, {
        code: 'not-json',
        message: `${method} ${path} answered ${response.status} without JSON.`,
      });
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the caller reports the answer by its status.
    return undefined;
  }
}

function errorBody(response: { status: number }, parsed: unknown, text: string): ApiErrorBody {
  const error = (parsed as { error?: ApiErrorBody } | undefined)?.error;
  if (error && typeof error.message === 'string') return error;
  return {
    code: `http-${response.status}`,
    message: text.trim().slice(0, 300) || `The server answered ${response.status}.`,
  };
}

/** An error's message for the editor: the server's, or what went wrong in the page. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
