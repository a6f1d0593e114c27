import { Hono } from 'hono';
import { ApiError } from '#app/editor-api/api-error.ts';
import { requireSigV4 } from '#app/editor-auth/require-sigv4.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import { localIamActor } from '#core/editor/local-iam-actor.ts';

/** Where `newsletter serve` mounts the editor API, as the stack will on AWS. */
export const EDITOR_MOUNT = '/editor';

/** The service a signature's scope names for the editor API: API Gateway's. */
export const EDITOR_SIGNING_SERVICE = 'execute-api';

/** What `serveApp` serves. */
export interface ServeAppOptions {
  /** The public pages (`createPublicApp`), served as they are, everywhere but `/editor`. */
  publicApp: Hono;
  /** The editor API router (`editorApi`), mounted under `/editor`. */
  editorApi: Hono;
  /** The only key pair whose signatures `/editor` accepts: the local services'. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The region signatures must name: the local services'. */
  region: string;
  /** Where refusals and failures of `/editor` are logged (no key, no address). */
  log: LogLine;
}

/**
 * The app of `newsletter serve`: the public pages, and the editor API under `/editor`
 * behind `requireSigV4` (service `execute-api`, the local services' region and key pair),
 * whose routes act as `iam:local/<access key id>`. A path under `/editor` never reaches the
 * public app, and no other path reaches the editor API, so that neither's 404 or error
 * answers change.
 */
export function serveApp(options: ServeAppOptions): {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
} {
  const { accessKeyId, secretAccessKey } = options.credentials;
  const editor = new Hono();
  // Every request this app gets is under /editor: each one is checked, whatever its path.
  editor.use(
    requireSigV4({
      credentials: (id) => (accessKeyId !== '' && id === accessKeyId ? secretAccessKey : undefined),
      region: options.region,
      service: EDITOR_SIGNING_SERVICE,
      actorOf: localIamActor,
      log: options.log,
    }),
  );
  editor.route(EDITOR_MOUNT, options.editorApi);
  // The router answers its own errors; this catches the signature check's.
  editor.onError((error, c) => {
    options.log({
      level: 'error',
      message: 'editor api signature check failed',
      error: withoutAddresses(`${error.name}: ${error.message}`),
    });
    const failure = new ApiError(
      500,
      'internal',
      'Something went wrong on our side; it is in the log.',
    );
    return c.json(failure.body(), 500);
  });
  return {
    fetch: (request, env) => {
      const { pathname } = new URL(request.url);
      const underEditor = pathname === EDITOR_MOUNT || pathname.startsWith(`${EDITOR_MOUNT}/`);
      return (underEditor ? editor : options.publicApp).fetch(request, env);
    },
  };
}
