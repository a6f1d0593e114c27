import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { isHttpsUrl } from '#core/common/https-url.ts';
import { ImageError } from '#core/media/image-error.ts';
import { checkFileSize, imageLimits } from '#core/media/image-limits.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFetcher } from '#core/media/ports.ts';

export interface HttpsImageFetcherOptions {
  /** The most a download may take, redirects included, in milliseconds (15 s). */
  timeoutMs?: number;
  /** The most bytes a download may have (`imageLimits.maxInputBytes`). */
  maxBytes?: number;
  /** The most redirects followed (5). */
  maxRedirects?: number;
  /**
   * Certificates to trust instead of Node's own list, for a test server. Leave it out
   * everywhere else (`NODE_EXTRA_CA_CERTS` adds to Node's list for a whole process).
   */
  ca?: string | Buffer;
}

/**
 * `ImageFetcher` over Node's `https`: a GET with a time limit for the whole download
 * (`AbortSignal.timeout`), a size limit checked against `Content-Length` before the body
 * and again while it streams in, stopping the download as soon as it is passed (a server may send more than it announced, or announce
 * nothing), and redirects followed only to `https:` addresses. Uses `node:https` rather
 * than `fetch` so that a test can give it its own trust (`ca`) without touching the process.
 */
export class HttpsImageFetcher implements ImageFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;

  constructor(private readonly options: HttpsImageFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? imageLimits.maxInputBytes;
    this.maxRedirects = options.maxRedirects ?? 5;
  }

  async fetch(url: string): Promise<Uint8Array> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let address = url;
    for (let redirects = 0; ; redirects += 1) {
      if (!isHttpsUrl(address)) {
        throw new ImageSourceError(
          url,
          'refused',
          address === url
            ? 'is not an https: address'
            : `redirects to ${address}, which is not an https: address: refused`,
        );
      }
      const response = await this.get(url, address, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        if (redirects >= this.maxRedirects) {
          throw new ImageSourceError(
            url,
            'refused',
            `redirects more than ${this.maxRedirects} times`,
          );
        }
        address = new URL(location, address).href;
        continue;
      }
      if (status !== 200) {
        response.resume();
        throw new ImageSourceError(url, 'refused', `answered HTTP ${status} instead of the image`);
      }
      return this.body(url, response, signal);
    }
  }

  private get(url: string, address: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        address,
        {
          method: 'GET',
          signal,
          headers: { accept: 'image/*', 'user-agent': 'newsletter-import' },
          ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
        },
        resolve,
      );
      outgoing.on('error', (error) => reject(this.failure(url, error, signal)));
      outgoing.end();
    });
  }

  private body(url: string, response: IncomingMessage, signal: AbortSignal): Promise<Uint8Array> {
    const announced = Number(response.headers['content-length']);
    if (Number.isFinite(announced)) {
      try {
        this.checkSize(announced, url);
      } catch (error) {
        response.destroy();
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const fail = (error: unknown) => {
        response.destroy();
        reject(error);
      };
      // The request's signal ends the socket; this makes sure the body stops too.
      const onAbort = () => fail(this.failure(url, signal.reason, signal));
      signal.addEventListener('abort', onAbort, { once: true });
      response.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        try {
          this.checkSize(received, url);
        } catch (error) {
          signal.removeEventListener('abort', onAbort);
          fail(error);
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(this.failure(url, error, signal));
      });
      response.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        if (!response.complete) {
          reject(new ImageSourceError(url, 'refused', 'was cut off before its end'));
          return;
        }
        resolve(new Uint8Array(Buffer.concat(chunks, received)));
      });
    });
  }

  /** Refuses an empty body or one past this fetcher's limit (the input limit, unless a test sets it lower). */
  private checkSize(bytes: number, url: string): void {
    if (bytes === 0) checkFileSize(bytes, url);
    if (bytes <= this.maxBytes) return;
    throw new ImageError(
      url,
      'too-large',
      `is larger than ${formatBytes(this.maxBytes)}, the most an import downloads: ` +
        'export it smaller (1200 px wide is all an email shows) and name the file',
    );
  }

  private failure(url: string, error: unknown, signal: AbortSignal): ImageSourceError {
    if (signal.aborted) {
      return new ImageSourceError(
        url,
        'timed-out',
        `did not arrive within ${formatSeconds(this.timeoutMs)}: download it yourself and name the file`,
        { cause: error },
      );
    }
    const detail =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : error);
    return new ImageSourceError(url, 'refused', `could not be downloaded (${detail})`, {
      cause: error,
    });
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000
    ? `${Number((bytes / 1_000_000).toFixed(1))} MB`
    : `${bytes.toLocaleString('en')} bytes`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
