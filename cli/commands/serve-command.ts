import { once } from 'node:events';
import { serve } from '@hono/node-server';
import { type Command, InvalidArgumentError } from 'commander';
import { createPublicApp } from '#app/public-app.ts';
import type { CommandContext } from '../command-context.ts';
import {
  readLiveServicesRecord,
  removeServicesRecord,
  writeServicesRecord,
} from '../local/services-record.ts';
import { publicAppDeps } from '../public-app-deps.ts';

/** The port of `publicBaseUrl` when it points at this machine, else this one. */
export const DEFAULT_PORT = 8787;

/** A second `serve` on a state folder that is served already. */
export class AlreadyServingError extends Error {
  override name = 'AlreadyServingError';
}

/** `newsletter serve [--port N]` */
export function serveCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description(
      'serve the public pages (issue archive, articles, unsubscribe) and the stored photos ' +
        '(/media) on 127.0.0.1 and keep the local services running, shared with every other ' +
        'command on this state folder',
    )
    .option('--port <n>', 'port to listen on (default: the port of publicBaseUrl, else 8787)', port)
    .action(async (options: { port?: number }) => {
      context.requireLocal('serve', 'on AWS the HTTP API serves the public app');
      const out = context.output();
      const config = await context.config();
      if (await readLiveServicesRecord(context.stateDir)) {
        throw new AlreadyServingError(
          `${context.stateDir} is served already by another newsletter serve; stop it first`,
        );
      }
      const listenPort = options.port ?? defaultPort(config.publicBaseUrl);
      await context.withServices(async (env) => {
        const app = createPublicApp(await publicAppDeps(config, context.stateDir));
        const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: listenPort });
        await once(server, 'listening');
        await writeServicesRecord(context.stateDir, env);
        out.info(`Serving http://127.0.0.1:${listenPort}/ (Ctrl-C to stop).`);
        out.info(
          `Other newsletter commands on ${context.stateDir} now share these local services.`,
        );
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await removeServicesRecord(context.stateDir);
        await new Promise((resolve) => server.close(resolve));
        out.info('Stopped.');
      });
    });
}

function defaultPort(publicBaseUrl: string): number {
  const url = new URL(publicBaseUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return loopback && url.port ? Number(url.port) : DEFAULT_PORT;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new InvalidArgumentError('must be a port number from 1 to 65535');
  }
  return n;
}
