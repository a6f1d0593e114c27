import { ulid } from 'ulid';
import { dynamoDb } from '#adapters/aws-clients.ts';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { signupStores } from '#adapters/signup-stores.ts';
import { subscriptionStores } from '#adapters/subscription-stores.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { PublicAppDeps } from '#app/public-app.ts';
import type { Config } from '#core/common/config.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { LocalLinkKeys } from './local-link-keys.ts';
import { textLog } from './text-log.ts';
import { localHashKey } from './token-key.ts';

/** The public app's ports, wired to this process's environment (the local services). */
export async function publicAppDeps(config: Config, stateDir: string): Promise<PublicAppDeps> {
  const { subscribers, suppressions } = subscriptionStores();
  const hashKey = await localHashKey(stateDir);
  return {
    subscriptions: {
      config,
      subscribers,
      suppressions,
      // The queue of sign-ups (serve's confirmations job mails them) and the counters that
      // limit them per network (the socket's address: locally, this machine's).
      ...signupStores(),
      pageTemplates: () => loadPageTemplates(),
      hashKey: async () => hashKey,
      linkKeys: new LocalLinkKeys(stateDir),
      newId: () => ulid(),
      now: () => new Date(),
      // An unsubscribe through an issue's link counts for that issue.
      issueEvents: new DynamoDbSendLedger(dynamoDb(), tableName(tables.sends)),
    },
    archive: {
      issues: archiveFromEnv(),
      articles: new DynamoDbArticleStore(dynamoDb(), tableName(tables.articles)),
      templates: () => loadPageTemplates(),
      site: {
        listName: config.listName,
        language: config.language,
        publicBaseUrl: config.publicBaseUrl,
        timeZone: config.scheduleTimeZone,
        mediaBaseUrl: config.mediaBaseUrl,
      },
    },
    // The photos in the local S3, at publicBaseUrl + /media, so that an issue opened from the
    // outbox shows them while serve runs (on AWS, CloudFront serves them).
    media: mediaStoreFromEnv(),
    // A person reads these on the terminal that serves: text, not JSON.
    log: textLog(process.stdout),
  };
}
