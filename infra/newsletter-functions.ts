import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { buckets, queues } from '#adapters/resources.ts';
import { LINK_KEYS_SECRET_ENV } from '#adapters/secrets-manager-link-keys.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import type { Config } from '#core/common/config.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import { NewsletterFunction } from './newsletter-function.ts';
import type { QueueWithDeadLetter } from './queue-with-dead-letter.ts';
import type { StatefulStack } from './stateful-stack.ts';

/** The sender's timeout; the send queue's visibility timeout is six times this. */
export const SENDER_TIMEOUT = Duration.minutes(2);
/** The ses-events function's timeout; its queue's visibility timeout is six times this. */
export const SES_EVENTS_TIMEOUT = Duration.seconds(30);

/** The editor API function's timeout: the HTTP API waits at most 30 s for an integration. */
export const EDITOR_API_TIMEOUT = Duration.seconds(30);

/** The project's five functions, by role. */
export interface NewsletterFunctions {
  httpApi: NewsletterFunction;
  /** The editor API under `/editor`, behind IAM authorization. */
  editorApi: NewsletterFunction;
  issueBuilder: NewsletterFunction;
  sender: NewsletterFunction;
  sesEvents: NewsletterFunction;
}

/** What the functions use. */
export interface NewsletterFunctionsProps {
  config: Config;
  settings: DeploymentSettings;
  stateful: StatefulStack;
  /** Where mailed links point: the custom domain, else the API's own URL. */
  publicBaseUrl: string;
  /** Where stored photos are served from: the media distribution (the stateful stack's). */
  mediaBaseUrl: string;
  sendQueues: QueueWithDeadLetter;
  sesEventsQueues: QueueWithDeadLetter;
}

/** The files of `templates/` that the functions which render read beside their bundle. */
export const TEMPLATE_FILES = { folder: 'templates', extensions: ['.hbs', '.css'] };
/**
 * What builds, beside the public function's bundle, the templates compiled before run time
 * (the confirmation email's HTML, from MJML), so that the function loads no MJML.
 */
export const TEMPLATE_BUILDS = ['templates/build-templates.ts'];

/**
 * The five functions, each granted the resources its handler's adapters use and no others,
 * the sender and the ses-events function with their queues as event sources.
 */
export function newsletterFunctions(
  scope: Construct,
  props: NewsletterFunctionsProps,
): NewsletterFunctions {
  return {
    httpApi: httpApiFunction(scope, props),
    editorApi: editorApiFunction(scope, props),
    issueBuilder: issueBuilderFunction(scope, props),
    sender: senderFunction(scope, props),
    sesEvents: sesEventsFunction(scope, props),
  };
}

function httpApiFunction(scope: Construct, props: NewsletterFunctionsProps) {
  const { config, stateful, publicBaseUrl, mediaBaseUrl } = props;
  const t = stateful.tables;
  // The archived issues only: the photos under media/ are CloudFront's to serve, and the
  // rendered issues with their per-recipient markers are the senders'.
  const archivedIssues = 'issues/*';
  return (
    new NewsletterFunction(scope, 'HttpApiFunction', {
      config,
      publicBaseUrl,
      // The article pages show the photos, from where CloudFront serves them.
      mediaBaseUrl,
      handler: 'http-api',
      description: 'Public HTTP API: subscribe, confirm, unsubscribe, the archive',
      timeout: Duration.seconds(10),
      memorySize: 512,
      // The web pages' templates are read at run time from beside the bundle; the
      // confirmation email is the builder's to send: MJML stays out.
      copyIntoBundle: TEMPLATE_FILES,
    })
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      .useTable(t.suppressions, tables.suppressions, 'readWrite')
      .useTable(t.articles, tables.articles, 'read')
      // An unsubscribe through an issue's link is counted for the issue in the ledger
      // (`recordEvent`): a conditional update of the recipient's record, then updates that add
      // to the issue's counter and minute items, creating them if need be. Nothing else.
      .useTable(t.sends, tables.sends, ['dynamodb:UpdateItem'])
      // A sign-up is queued as typed (`DynamoDbSignupQueue.addRequest`), nothing more: the
      // minute tick stores it and mails its confirmation, so this function mails nothing.
      .useTable(t.signups, tables.signups, ['dynamodb:PutItem'])
      // The per-network count of sign-ups: conditional updates, and a read of a full window's
      // end for Retry-After (`DynamoDbRateCounters`).
      .useTable(t.counters, tables.counters, ['dynamodb:UpdateItem', 'dynamodb:GetItem'])
      .useBucket(stateful.archiveBucket, buckets.archive, 'read', archivedIssues)
      // Networks are counted, and addresses hashed, under the hash key; links are checked
      // under the link keys.
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      .useSecret(stateful.linkKeys, LINK_KEYS_SECRET_ENV)
  );
}

/**
 * The editor API (`lambdas/handlers/editor-api.ts`): what the editor's work needs, read off the
 * adapters that `editorApiDepsFromEnv` builds, and nothing more. It renders drafts as the
 * issue builder does, so it carries MJML and the templates as the builder's bundle does.
 */
function editorApiFunction(scope: Construct, props: NewsletterFunctionsProps) {
  const { config, settings, stateful, publicBaseUrl, mediaBaseUrl, sendQueues, sesEventsQueues } =
    props;
  const t = stateful.tables;
  return (
    new NewsletterFunction(scope, 'EditorApiFunction', {
      config,
      publicBaseUrl,
      // Drafts, previews and test sends show the photos from the media distribution.
      mediaBaseUrl,
      handler: 'editor-api',
      description: 'Editor API (IAM): articles, subscribers, drafts, test sends, sends',
      timeout: EDITOR_API_TIMEOUT,
      // Renders an issue (MJML, juice) as the builder does, with the builder's CPU.
      memorySize: 1769,
      // As the builder's bundle: MJML without its optional TypeScript config loader, and
      // without what cheerio fetches and decodes documents with (see issueBuilderFunction).
      externalModules: ['typescript'],
      omitModules: ['undici', 'encoding-sniffer'],
      // The digest's templates are read beside the bundle; the confirmation email's HTML (for
      // an import with confirm=1) is compiled there from MJML when bundling.
      copyIntoBundle: TEMPLATE_FILES,
      buildIntoBundle: TEMPLATE_BUILDS,
    })
      // List, import and pick articles: exactly what `DynamoDbArticleStore` calls.
      .useTable(t.articles, tables.articles, [
        'dynamodb:Scan',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
      ])
      // List, export, add, import, unsubscribe and forget subscribers; the pages of recipients
      // that a send and a resume prepare.
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      // Adding, importing and test sends look up suppressions; forgetting a subscriber keeps
      // the address's hash there. Nothing here lifts a suppression (no DeleteItem).
      .useTable(t.suppressions, tables.suppressions, ['dynamodb:GetItem', 'dynamodb:PutItem'])
      // Drafts, renders, approvals and every state change of an issue.
      .useTable(t.issues, tables.issues, 'readWrite')
      // The ledger (counts, the recipients a send enqueues, a cancel's marking), the senders'
      // leases that a pause and a cancel wait on, and forgetting's erasure of error texts.
      .useTable(t.sends, tables.sends, 'readWrite')
      // The audit trail: records are added and listed by time, never changed or deleted.
      .useTable(t.audit, tables.audit, ['dynamodb:PutItem', 'dynamodb:Query'])
      // One bucket, three prefixes: the public copy an issue keeps when it starts (issues/),
      // the photos an import stores and a render measures (media/), the renders that test
      // sends, previews and the senders read (rendered/).
      .useBucket(stateful.archiveBucket, buckets.archive, 'readWrite', [
        'issues/*',
        'media/*',
        'rendered/*',
      ])
      // A send and a resume enqueue the pages of recipients.
      .useQueue(sendQueues.queue, queues.send)
      // Whether an issue is done (`finishIssue`, for GET /issues/:id) looks at both events
      // queues for SES events still to be applied, and only looks.
      .useQueue(sesEventsQueues.queue, queues.sesEvents, 'inspect')
      .useQueue(sesEventsQueues.deadLetter, queues.sesEvents.deadLetter, 'inspect')
      // A send and a resume without a rate go at the account's SES quota.
      .allowReadingSendQuota()
      // Test sends, and the confirmations of an import with confirm=1.
      .allowSending(settings.sesIdentity, config.configurationSet)
      // Test sends, previews and confirmations carry signed subscriber links; adding and
      // forgetting subscribers hash addresses.
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      // `POST /keys` and `POST /keys/:kid/retire` store the link keys again: PutSecretValue on
      // this one secret.
      .useSecret(stateful.linkKeys, LINK_KEYS_SECRET_ENV, 'readWrite')
  );
}

function issueBuilderFunction(scope: Construct, props: NewsletterFunctionsProps) {
  const { config, settings, stateful, publicBaseUrl, mediaBaseUrl, sendQueues, sesEventsQueues } =
    props;
  const t = stateful.tables;
  return (
    new NewsletterFunction(scope, 'IssueBuilderFunction', {
      config,
      publicBaseUrl,
      // The digest's photos point at the media distribution.
      mediaBaseUrl,
      handler: 'scheduled-issue',
      description: 'Plans and renders an issue once, then queues its recipients in pages',
      timeout: Duration.minutes(15),
      memorySize: 1769,
      // No reserved concurrency: two runs at once start one issue between them (the issue
      // store's conditional start), and a reservation fails to deploy on an account whose
      // concurrency quota is 10, since Lambda keeps 10 unreserved.
      // MJML can load a TypeScript config file, which this code never has.
      externalModules: ['typescript'],
      // cheerio (under MJML and juice) fetches and decodes documents with these; MJML only
      // parses strings. Together about 1.5 MB of bundle.
      omitModules: ['undici', 'encoding-sniffer'],
      // The digest's templates are read at run time from beside the bundle, and so is the
      // confirmation email's HTML, compiled from MJML there when bundling.
      copyIntoBundle: TEMPLATE_FILES,
      buildIntoBundle: TEMPLATE_BUILDS,
    })
      .useTable(t.articles, tables.articles, 'read')
      // The tick's sign-up work (`sendDueConfirmations`) adds the queued sign-ups as pending
      // subscribers; the daily erasure removes forgotten ones (`eraseStalePendings`).
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      .useTable(t.suppressions, tables.suppressions, ['dynamodb:GetItem'])
      .useTable(t.signups, tables.signups, [
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
      ])
      // The list's hourly budget of confirmation emails.
      .useTable(t.counters, tables.counters, ['dynamodb:UpdateItem', 'dynamodb:GetItem'])
      .useTable(t.issues, tables.issues, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      .useBucket(stateful.archiveBucket, buckets.archive, 'readWrite')
      .useQueue(sendQueues.queue, queues.send)
      // An issue whose unknown outcomes only dead-lettered SES events could settle is finished
      // without them: it looks at both events queues, and only looks.
      .useQueue(sesEventsQueues.queue, queues.sesEvents, 'inspect')
      .useQueue(sesEventsQueues.deadLetter, queues.sesEvents.deadLetter, 'inspect')
      .allowReadingSendQuota()
      // Confirmation emails, with signed links (the link keys) and the hashed counters' key.
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      .useSecret(stateful.linkKeys, LINK_KEYS_SECRET_ENV)
      .allowSending(settings.sesIdentity, config.configurationSet)
  );
}

function senderFunction(scope: Construct, props: NewsletterFunctionsProps) {
  const { config, settings, stateful, publicBaseUrl, sendQueues, sesEventsQueues } = props;
  const t = stateful.tables;
  return (
    new NewsletterFunction(scope, 'SenderFunction', {
      config,
      publicBaseUrl,
      handler: 'send-batch',
      description: 'Sends pages of an issue, each recipient claimed in the ledger first',
      timeout: SENDER_TIMEOUT,
      memorySize: 512,
    })
      // It also carries on queueing a large issue's pages where the builder stopped.
      .useTable(t.issues, tables.issues, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      .useTable(t.subscribers, tables.subscribers, 'read')
      .useBucket(stateful.archiveBucket, buckets.archive, 'read')
      // Recipients to look at again later go back on the queue (with a delay), and so do the
      // next pages of an issue too large to queue in one go.
      .useQueue(sendQueues.queue, queues.send)
      // An unknown outcome may only be resent once no SES event waits to be applied.
      .useQueue(sesEventsQueues.queue, queues.sesEvents, 'inspect')
      .useQueue(sesEventsQueues.deadLetter, queues.sesEvents.deadLetter, 'inspect')
      // Every message's unsubscribe link is signed with the newest link key; the sender hashes
      // no address, so the hash key is not its to read.
      .useSecret(stateful.linkKeys, LINK_KEYS_SECRET_ENV)
      .allowSending(settings.sesIdentity, config.configurationSet)
      .consumeQueue(sendQueues.queue, { batchSize: 1, maxConcurrency: config.sendConcurrency })
  );
}

function sesEventsFunction(scope: Construct, props: NewsletterFunctionsProps) {
  const { config, stateful, publicBaseUrl, sesEventsQueues } = props;
  const t = stateful.tables;
  return (
    new NewsletterFunction(scope, 'SesEventsFunction', {
      config,
      publicBaseUrl,
      handler: 'ses-events',
      description: 'Applies SES send, delivery, bounce and complaint events; suppresses',
      timeout: SES_EVENTS_TIMEOUT,
      memorySize: 256,
    })
      .useTable(t.subscribers, tables.subscribers, 'readWrite')
      .useTable(t.suppressions, tables.suppressions, 'readWrite')
      .useTable(t.sends, tables.sends, 'readWrite')
      // It pauses an issue whose bounce or complaint rate passes its threshold.
      .useTable(t.issues, tables.issues, 'readWrite')
      .useSecret(stateful.tokenKey, TOKEN_KEY_SECRET_ENV)
      .consumeQueue(sesEventsQueues.queue, { batchSize: 10 })
  );
}
