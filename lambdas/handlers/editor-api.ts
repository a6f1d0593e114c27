import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import { type Context, Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { configFromEnv } from '#adapters/config-from-env.ts';
import { powertoolsLog } from '#adapters/powertools-log.ts';
import { loadSecretsManagerLinkKeys } from '#adapters/secrets-manager-link-keys.ts';
import { secretsManagerHashKey } from '#adapters/secrets-manager-token-key.ts';
import { withLambdaContext } from '#adapters/with-lambda-context.ts';
import { editorApi } from '#app/editor-api/editor-api.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { EDITOR_API_BASE_PATH } from '#core/editor/editor-routes.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFetcher, ImageProcessor } from '#core/media/ports.ts';
import { loadConfirmationTemplates, loadTemplates } from '#templates/load-templates.ts';
import { editorApiDepsFromEnv } from './editor-api-deps-from-env.ts';

type Handler = ReturnType<typeof handle>;

/** The function's log on Lambda (Powertools): each request's lines carry its request id. */
const logger = new Logger();
const log: LogLine = powertoolsLog(logger);

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
 * The editor API under `/editor`, its ports from the function's environment: built on the
 * first request (it reads the hash key's and the link keys' secrets and the templates beside
 * the bundle).
 */
async function editorApp(): Promise<Handler> {
  const config = configFromEnv();
  // The stack copies templates/ beside the bundle, where the loaders look, and builds the
  // confirmation email's HTML there (for an import with confirm=1).
  const [templates, hashKey, linkKeys] = await Promise.all([
    loadTemplates(),
    secretsManagerHashKey(),
    loadSecretsManagerLinkKeys(),
  ]);
  const deps = editorApiDepsFromEnv({
    config,
    templates,
    confirmationTemplates: () => loadConfirmationTemplates(),
    hashKey,
    linkKeys,
    actor: iamActor,
    // This function carries no sharp (a native module, built per platform): photos to store
    // are refused with a message that says what to do instead. See docs/editor-api.md.
    imageProcessor: noImageProcessing,
    log,
  });
  const ports: EditorApiDeps = {
    ...deps,
    articles: { ...deps.articles, fetcher: noImageFetching },
    // Marking a large issue's records outlasts the HTTP API's 30 s: the senders do it.
    handOffCancel: (issueId) => deps.issues.queue.enqueue([{ issueId, finishCancel: true }]),
  };
  return handle(new Hono().route(EDITOR_API_BASE_PATH, editorApi(ports)));
}

let app: Promise<Handler> | undefined;

/**
 * API Gateway HTTP API (payload 2.0, IAM authorization) → the editor API mounted at
 * `/editor`. A cancel's marking goes to the send queue (`handOffCancel`): nothing runs on
 * after the answer, which Lambda would freeze.
 */
export const handler: Handler = withLambdaContext(logger, async (event, context) => {
  app ??= editorApp().catch((error: unknown) => {
    app = undefined;
    throw error;
  });
  return (await app)(event, context);
});
