import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsImageFetcher } from '#adapters/https-image-fetcher.ts';
import { ImageError } from '#core/media/image-error.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import { selfSignedCertificate, startHttpsServer } from './https-test-server.ts';

// The fetcher against a real HTTPS server on loopback with a self-signed certificate, which
// only this fetcher trusts (its `ca` option): the test process's own trust is left alone.

let server: Awaited<ReturnType<typeof startHttpsServer>>;
let ca: Buffer;
const photo = Buffer.alloc(5000, 7);
/** Bytes the server managed to write of the endless response before the client hung up. */
let endlessWritten = 0;

beforeAll(async () => {
  const tls = await selfSignedCertificate();
  ca = tls.cert;
  server = await startHttpsServer(tls, (request, response) => {
    const path = request.url ?? '';
    if (path === '/photo.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length });
      response.end(photo);
    } else if (path === '/to-photo') {
      response.writeHead(302, { location: '/photo.jpg' });
      response.end();
    } else if (path === '/to-http') {
      response.writeHead(301, { location: 'http://127.0.0.1/photo.jpg' });
      response.end();
    } else if (path === '/stalls') {
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      response.write(photo.subarray(0, 100)); // and never ends
    } else if (path === '/announced-large') {
      response.writeHead(200, { 'content-length': 50_000 });
      response.end(Buffer.alloc(50_000));
    } else if (path === '/endless') {
      // No Content-Length: only counting the stream can stop it.
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(16_384);
      const pump = () => {
        while (!response.destroyed && endlessWritten < 5_000_000) {
          endlessWritten += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
});
afterAll(() => server?.stop());

const fetcher = (options = {}) => new HttpsImageFetcher({ ca, timeoutMs: 2000, ...options });

/** The error a fetch of `path` fails with, or a failure if it succeeds. */
async function failure(path: string, options = {}): Promise<Error> {
  const error = await fetcher(options)
    .fetch(`${server.base}${path}`)
    .then(
      () => new Error('expected the fetch to fail'),
      (reason: Error) => reason,
    );
  return error;
}

describe('HttpsImageFetcher', () => {
  it('downloads an image, following a redirect to https:', async () => {
    expect(Buffer.from(await fetcher().fetch(`${server.base}/photo.jpg`)).equals(photo)).toBe(true);
    expect(Buffer.from(await fetcher().fetch(`${server.base}/to-photo`)).equals(photo)).toBe(true);
  });

  it('refuses a redirect to http:', async () => {
    const error = await failure('/to-http');

    expect(error).toBeInstanceOf(ImageSourceError);
    expect(error.message).toMatch(
      /redirects to http:\/\/127\.0\.0\.1\/photo\.jpg, which is not an https: address/,
    );
  });

  it('names an HTTP error', async () => {
    expect((await failure('/missing.jpg')).message).toMatch(/answered HTTP 404/);
  });

  it('gives up on a server that stalls, at its time limit', async () => {
    const error = await failure('/stalls', { timeoutMs: 300 });

    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as ImageSourceError).reason).toBe('timed-out');
    expect(error.message).toMatch(/did not arrive within 0\.3 s/);
  });

  it('refuses an announced size over its limit before reading the body', async () => {
    const error = await failure('/announced-large', { maxBytes: 10_000 });

    expect(error).toBeInstanceOf(ImageError);
    expect((error as ImageError).reason).toBe('too-large');
    expect(error.message).toMatch(/is larger than 10,000 bytes/);
  });

  it('stops a download without a size once it passes its limit', async () => {
    const error = await failure('/endless', { maxBytes: 100_000 });

    expect((error as ImageError).reason).toBe('too-large');
    // The client hung up long before the server's 5 MB were written.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endlessWritten).toBeLessThan(5_000_000);
  });

  it('does not trust the server without its certificate', async () => {
    const error = await new HttpsImageFetcher().fetch(`${server.base}/photo.jpg`).catch((e) => e);

    expect(error).toBeInstanceOf(ImageSourceError);
    expect(error.message).toMatch(/could not be downloaded/);
  });
});
