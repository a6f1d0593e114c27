import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { type Context, Hono } from 'hono';
import { handle, type LambdaContext } from 'hono/aws-lambda';
import { configFromEnv } from '#adapters/config-from-env.ts';
import { secretsManagerTokenKey } from '#adapters/secrets-manager-token-key.ts';
import { editorApi } from '#app/editor-api/editor-api.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { keepGoing } from '#app/editor-api/keep-going.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { EDITOR_API_BASE_PATH } from '#core/editor/editor-routes.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFetcher, ImageProcessor } from '#core/media/ports.ts';
import { loadConfirmationTemplates, loadTemplates } from '#templates/load-templates.ts';
import { editorApiDepsFromEnv } from './editor-api-deps-from-env.ts';

type Handler = ReturnType<typeof handle>;

/** How long before the function's timeout it answers, even with background work unfinished. */
const ANSWER_MARGIN_MS = 5_000;

const log: LogLine = (line) => console.info(JSON.stringify(line));

/**
 * Who acts: the IAM principal that signed the request (SigV4), as the HTTP API's IAM
 * authorizer gives it, prefixed `iam:` (a person, as `cli:` is; see `followExitCode`).
 * @throws Error when the request carries no IAM principal: its route lacks the authorizer
 */
export function iamActor(c: Context): string {
  const env = c.env as { event?: Partial<APIGatewayProxyEventV2WithIAMAuthorizer> } | undefined;
  const arn = env?.event?.requestContext?.authorizer?.iam?.userArn;
  if (!arn) {
    throw new Error(
      'the request names no IAM principal: every /editor route needs IAM authorization',
    );
  }
  return `iam:${arn}`;
}

/** What the editor API on AWS answers for a photo it would have to process. */
const NO_PHOTO_PROCESSING =
  'cannot be stored by the editor API on AWS, which processes no photos (its function ' +
  'carries no sharp): import without fetchImages=1 to link the photo at its address, or ' +
  'import the article with `newsletter import` from a machine with its photos';

/**
 * Photos are refused before they are downloaded: without sharp there is nothing to turn
 * them into email images with. Files are never read here either (no import folder).
 */
const noImageFetching: ImageFetcher = {
  fetch: async (url) => {
    throw new ImageSourceError(url, 'refused', NO_PHOTO_PROCESSING);
  },
};
const noImageProcessing: ImageProcessor = {
  process: async (_bytes, sourceName) => {
    throw new ImageSourceError(sourceName, 'refused', NO_PHOTO_PROCESSING);
  },
};

/**
 * Work an answer leaves running (a cancel's marking of its queued records): Lambda freezes
 * the function once it has answered, so the handler waits for it first (see
 * {@link finishLeftWork}). A failure is logged, as `keepGoing` logs it for the studio.
 */
const leftRunning = new Set<Promise<void>>();

function background(logLine: LogLine): EditorApiDeps['background'] {
  const keep = keepGoing(logLine);
  return (what, work) => {
    keep(what, work);
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    leftRunning.add(settled);
    void settled.finally(() => leftRunning.delete(settled));
  };
}

/**
 * Waits for the work the answer left running, but no longer than `ANSWER_MARGIN_MS` before
 * the function's timeout: the answer must reach the HTTP API within its 30 s. Work cut short
 * is safe where it is used (a cancel's marking: the senders mark the pages they reach).
 */
async function finishLeftWork(context: LambdaContext | undefined): Promise<void> {
  if (leftRunning.size === 0) return;
  const waitMs = Math.max(
    0,
    (context?.getRemainingTimeInMillis() ?? ANSWER_MARGIN_MS) - ANSWER_MARGIN_MS,
  );
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    Promise.all(leftRunning).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) {
    log({
      level: 'warn',
      message: 'editor api: answered before its background work ended',
      unfinished: leftRunning.size,
    });
  }
}

/**
 * The editor API under `/editor`, its ports from the function's environment: built on the
 * first request (it reads the link key's secret and the templates beside the bundle).
 */
async function editorApp(): Promise<Handler> {
  const config = configFromEnv();
  // The stack copies templates/ beside the bundle, where the loaders look, and builds the
  // confirmation email's HTML there (for an import with confirm=1).
  const [templates, tokenKey] = await Promise.all([loadTemplates(), secretsManagerTokenKey()]);
  const deps = editorApiDepsFromEnv({
    config,
    templates,
    confirmationTemplates: () => loadConfirmationTemplates(),
    tokenKey,
    actor: iamActor,
    // This function carries no sharp (a native module, built per platform): photos to store
    // are refused with a message that says what to do instead. See docs/editor-api.md.
    imageProcessor: noImageProcessing,
    log,
  });
  const ports: EditorApiDeps = {
    ...deps,
    articles: { ...deps.articles, fetcher: noImageFetching },
    background: background(log),
  };
  return handle(new Hono().route(EDITOR_API_BASE_PATH, editorApi(ports)));
}

let app: Promise<Handler> | undefined;

/**
 * API Gateway HTTP API (payload 2.0, IAM authorization) → the editor API mounted at
 * `/editor`; answers once the work it left running is done or must be left.
 */
export const handler: Handler = async (event, context) => {
  app ??= editorApp().catch((error: unknown) => {
    app = undefined;
    throw error;
  });
  const answer = await (await app)(event, context);
  await finishLeftWork(context);
  return answer;
};
