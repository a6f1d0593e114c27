import { once } from 'node:events';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Command, InvalidArgumentError } from 'commander';
import { signupJobsDepsFromEnv } from '#adapters/signup-jobs-deps-from-env.ts';
import { editorApi } from '#app/editor-api/editor-api.ts';
import { createPublicApp } from '#app/public-app.ts';
import { describeBothZones } from '#core/schedule/format-both-zones.ts';
import { parseScheduleExpression } from '#core/schedule/parse-schedule-expression.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import type { CommandContext } from '../command-context.ts';
import { openHandlersLog } from '../local/local-runtime.ts';
import { startLocalScheduler } from '../local/local-scheduler.ts';
import { LocalServicesOwnedError } from '../local/local-services-owned-error.ts';
import { LOCAL_CONFIRMATION_SECONDS, startSignupJobs } from '../local/local-signup-jobs.ts';
import { SERVICES_RECORD_FILE } from '../local/services-record.ts';
import { localHandlers } from '../local-handlers.ts';
import { LocalLinkKeys } from '../local-link-keys.ts';
import { publicAppDeps } from '../public-app-deps.ts';
import { EDITOR_MOUNT, EDITOR_SIGNING_SERVICE, serveApp } from '../serve-app.ts';
import { serveEditorApiDeps } from '../serve-editor-api-deps.ts';
import { textLog } from '../text-log.ts';
import { localHashKey } from '../token-key.ts';
import { untilStopped } from '../until-stopped.ts';

/** The port of `publicBaseUrl` when it points at this machine, else this one. */
export const DEFAULT_PORT = 8787;

/** A second `serve` on a state folder that is served already. */
export class AlreadyServingError extends Error {
  override name = 'AlreadyServingError';
}

/**
 * A `serve` on a state folder whose local services another command (`send`, `import`…)
 * runs. Serve does not use them, as other commands do: its pages and the runtime that
 * sends must outlive that command, so serve must run the services itself.
 */
export class ServicesBusyError extends Error {
  override name = 'ServicesBusyError';
}

/** `newsletter serve [--port N]` */
export function serveCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description(
      'serve the public pages (issue archive, articles, unsubscribe), the stored photos ' +
        '(/media) and the editor API at /editor (SigV4-signed: service execute-api, with the ' +
        "local services' region and key pair, kept in services.json) on 127.0.0.1, and keep " +
        'the local services running, shared with every other command on this state folder; ' +
        'run the schedule (scheduleExpression) and send scheduled issues when due; mail the ' +
        "confirmations of the form's sign-ups, and erase those unconfirmed after pendingDays",
    )
    .option('--port <n>', 'port to listen on (default: the port of publicBaseUrl, else 8787)', port)
    .action(async (options: { port?: number }) => {
      context.requireLocal('serve', 'on AWS the HTTP API serves the public app');
      const out = context.output();
      const config = await context.config();
      const listenPort = options.port ?? defaultPort(config.publicBaseUrl);
      // A schedule that cannot be read stops serve before anything starts.
      parseScheduleExpression(config.scheduleExpression);
      try {
        await context.withServices(
          async (env) => {
            const publicApp = createPublicApp(await publicAppDeps(config, context.stateDir));
            // A person reads these on the terminal that serves, as the public app's.
            const editorLog = textLog(process.stdout);
            const app = serveApp({
              publicApp,
              editorApi: editorApi(await serveEditorApiDeps(config, context.stateDir, editorLog)),
              credentials: {
                accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
                secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
              },
              region: env.AWS_REGION ?? '',
              log: editorLog,
            });
            const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: listenPort });
            await once(server, 'listening');
            // EventBridge Scheduler's part: the scheduled-issue handler, at each run and tick.
            const handlersLog = openHandlersLog(context.stateDir);
            try {
              const scheduler = await startLocalScheduler({
                stateDir: context.stateDir,
                expression: config.scheduleExpression,
                timeZone: config.scheduleTimeZone,
                createHandler: () =>
                  localHandlers(config, context.stateDir).scheduledIssue(handlersLog.line),
                log: handlersLog.line,
                warn: (message) => process.stderr.write(`newsletter: ${message}\n`),
              });
              // What the minute tick does on AWS for the form's sign-ups, every few seconds.
              const signupJobs = startSignupJobs({
                createDeps: async () =>
                  signupJobsDepsFromEnv(config, {
                    hashKey: await localHashKey(context.stateDir),
                    linkKeys: new LocalLinkKeys(context.stateDir),
                    // Compiled for each email, so that a template developer sees an edit at once.
                    confirmationTemplates: () => compileConfirmationTemplates(),
                  }),
                log: handlersLog.line,
              });
              out.info(`Serving http://127.0.0.1:${listenPort}/ (Ctrl-C to stop).`);
              out.info(
                `Editor API at http://127.0.0.1:${listenPort}${EDITOR_MOUNT} (SigV4-signed): ` +
                  `service ${EDITOR_SIGNING_SERVICE}, region ${env.AWS_REGION}, with the local ` +
                  `services' key pair (in ${join(context.stateDir, SERVICES_RECORD_FILE)}).`,
              );
              const next = scheduler.nextRun;
              out.info(
                `Schedule ${config.scheduleExpression}: next run ` +
                  `${next ? describeBothZones(next, config.scheduleTimeZone) : 'none'}; ` +
                  'scheduled issues go out when due (each run is in handlers.log).',
              );
              out.info(
                `Sign-ups from the form get their confirmation email within ` +
                  `${LOCAL_CONFIRMATION_SECONDS} s (at most ${config.confirmationsPerHour} an ` +
                  `hour), and are erased if unconfirmed after ${config.pendingDays} days.`,
              );
              out.info(
                `Other newsletter commands on ${context.stateDir} now share these local services.`,
              );
              await untilStopped();
              await signupJobs.stop();
              await scheduler.stop();
            } finally {
              await handlersLog.close();
              await new Promise((resolve) => server.close(resolve));
            }
          },
          { own: true },
        );
      } catch (error) {
        throw error instanceof LocalServicesOwnedError ? refusal(error) : error;
      }
      out.info('Stopped.');
    });
}

/** Why serve does not start while another process runs the folder's local services. */
function refusal(error: LocalServicesOwnedError): Error {
  const { owner, command } = error.services;
  if (command === 'newsletter serve') {
    return new AlreadyServingError(
      `${error.stateDir} is served already by another newsletter serve (process ${owner.pid}); stop it first`,
    );
  }
  return new ServicesBusyError(
    `process ${owner.pid}${command ? ` (${command})` : ''} runs the local services of ` +
      `${error.stateDir}, and serve must run them itself to serve pages from them; start ` +
      'serve again once that command has ended',
  );
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
