import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A self-signed certificate for 127.0.0.1, made by `openssl`; `certFile` is for NODE_EXTRA_CA_CERTS. */
export async function selfSignedCertificate() {
  const dir = await mkdtemp(join(tmpdir(), 'https-test-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { key: await readFile(keyFile), cert: await readFile(certFile), certFile };
}

/** An HTTPS server on 127.0.0.1 with `handler`, and its base address. */
export async function startHttpsServer(
  tls: Pick<ServerOptions, 'key' | 'cert'>,
  handler: NonNullable<Parameters<typeof createServer>[1]>,
): Promise<{ server: Server; base: string; stop: () => Promise<void> }> {
  const server = createServer(tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    base: `https://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
