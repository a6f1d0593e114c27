import { Logger } from '@aws-lambda-powertools/logger';
import { handle } from 'hono/aws-lambda';
import { ulid } from 'ulid';
import { loadPageTemplates } from '../../templates/load-templates.ts';
import { dynamoDb } from '../adapters/aws-clients.ts';
import { configFromEnv } from '../adapters/config-from-env.ts';
import { DynamoDbArticleStore } from '../adapters/dynamodb-article-store.ts';
import { DynamoDbSendLedger } from '../adapters/dynamodb-send-ledger.ts';
import { powertoolsLog } from '../adapters/powertools-log.ts';
import { archiveFromEnv } from '../adapters/s3-archive.ts';
import { secretsManagerLinkKeys } from '../adapters/secrets-manager-link-keys.ts';
import { secretsManagerHashKey } from '../adapters/secrets-manager-token-key.ts';
import { signupStores } from '../adapters/signup-stores.ts';
import { subscriptionStores } from '../adapters/subscription-stores.ts';
import { tableName, tables } from '../adapters/tables.ts';
import { withLambdaContext } from '../adapters/with-lambda-context.ts';
import { createPublicApp } from '../app/public-app.ts';
import type { PageTemplates } from '../core/rendering/render-page.ts';

type Handler = ReturnType<typeof handle>;

/** The function's log on Lambda (Powertools): each request's lines carry its request id. */
const logger = new Logger();

let app: Handler | undefined;
let pageTemplates: Promise<PageTemplates> | undefined;

/** The app with its ports, built on the first request (loading this file reads nothing). */
function publicApp(): Handler {
  const config = configFromEnv();
  const { subscribers, suppressions } = subscriptionStores();
  // The stack copies templates/ into the bundle's folder, where the loader looks. No mail goes
  // from here: a sign-up is queued, and the minute tick mails its confirmation.
  const pages = () => (pageTemplates ??= loadPageTemplates());
  return handle(
    createPublicApp({
      subscriptions: {
        config,
        subscribers,
        suppressions,
        // The queue of sign-ups, and the counters that limit them per network.
        ...signupStores(),
        pageTemplates: pages,
        hashKey: () => secretsManagerHashKey(),
        linkKeys: secretsManagerLinkKeys(),
        newId: () => ulid(),
        now: () => new Date(),
        // An unsubscribe through an issue's link counts for that issue.
        issueEvents: new DynamoDbSendLedger(dynamoDb(), tableName(tables.sends)),
      },
      archive: {
        issues: archiveFromEnv(),
        articles: new DynamoDbArticleStore(dynamoDb(), tableName(tables.articles)),
        templates: pages,
        site: {
          listName: config.listName,
          language: config.language,
          publicBaseUrl: config.publicBaseUrl,
          timeZone: config.scheduleTimeZone,
          mediaBaseUrl: config.mediaBaseUrl,
        },
      },
      // No media store: on AWS the photos are served by CloudFront straight from the bucket,
      // and this function may not read media/ for anyone.
      log: powertoolsLog(logger),
    }),
  );
}

/** API Gateway HTTP API → the public Hono app. */
export const handler: Handler = withLambdaContext(logger, (event, context) => {
  app ??= publicApp();
  return app(event, context);
});
