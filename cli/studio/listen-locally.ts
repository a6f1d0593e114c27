import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A server listening on 127.0.0.1. */
export interface LocalServer {
  port: number;
  /** Ends every connection (event streams included) and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `fetch` on 127.0.0.1 only (never another interface: the studio acts with the
 * editor's rights), at `port`, or a free one for 0; resolves once it listens.
 * @param port called with the port once it is known, before any request is answered
 */
export async function listenLocally(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
): Promise<LocalServer> {
  const server = serve({ fetch, hostname: '127.0.0.1', port }) as Server;
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
