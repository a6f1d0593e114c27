import { dynamoDb, ses } from '#adapters/aws-clients.ts';
import { DynamoDbAuditTrail } from '#adapters/dynamodb-audit-trail.ts';
import { DynamoDbSendLedgerEraser } from '#adapters/dynamodb-send-ledger-eraser.ts';
import { FileImageSource } from '#adapters/file-image-source.ts';
import { HttpsImageFetcher } from '#adapters/https-image-fetcher.ts';
import { issueDepsFromEnv } from '#adapters/issue-deps-from-env.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { subscriptionStores } from '#adapters/subscription-stores.ts';
import { tableName, tables } from '#adapters/tables.ts';
import { confinedImageFiles, noImageFiles } from '#app/editor-api/confined-image-files.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { keepGoing } from '#app/editor-api/keep-going.ts';
import { checkMessage } from '#core/checks/check-message.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { finishCancel } from '#core/issues/finish-cancel.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import type { ImageProcessor } from '#core/media/ports.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';
import type { LinkKeyStore } from '#core/subscribers/link-keys.ts';

/** What the environment does not say, for `editorApiDepsFromEnv`. */
export interface EditorApiEnvOptions {
  config: Config;
  /** The digest's templates (`loadTemplates`). */
  templates: TemplateSet;
  /**
   * The confirmation email's templates, for an import with `confirm=1`: locally
   * `compileConfirmationTemplates`, on AWS `loadConfirmationTemplates` (built with the stack).
   */
  confirmationTemplates(): Promise<ConfirmationTemplates>;
  /**
   * The key of address hashes, which never rotates: locally `<state>/token.key`
   * (`localHashKey`), on AWS Secrets Manager's (`secretsManagerHashKey`).
   */
  hashKey: Uint8Array;
  /**
   * The keys of subscriber links, which sign previews' and test sends' links and which
   * `/editor/keys` rotates: locally `LocalLinkKeys`, on AWS `secretsManagerLinkKeys()`.
   */
  linkKeys: LinkKeyStore;
  /** Who acts: locally `() => cliActor()`; on AWS, the IAM principal of the request. */
  actor: EditorApiDeps['actor'];
  /**
   * Turns photos into email images (`SharpImageProcessor`). Given rather than built here, so
   * that a Lambda bundle that uses this file need not carry sharp.
   */
  imageProcessor: ImageProcessor;
  /**
   * The folder photos named by imported articles are read from (the studio's working
   * folder); absent: no file is read, and photos must be `https:` addresses.
   */
  imageFolder?: string;
  /**
   * Keeps an issue's public copy when it starts; default the archive bucket only. The CLI
   * also writes it into the state folder (`writeLocalIssue`).
   */
  archive?: IssueDeps['archive'];
  /** Seconds an unknown outcome waits: the senders' (locally `localSendUnknownWindowSeconds`). */
  unknownWindowSeconds?: number;
  /** The checks of `/preview`; default every check of the core (`checkMessage`). */
  check?: EditorApiDeps['check'];
  /** Where a `rate(…)` schedule counts from; locally serve's record. */
  scheduleAnchor?: EditorApiDeps['scheduleAnchor'];
  /** Where failures go: never an address. */
  log: LogLine;
}

/**
 * The editor API's ports, built from this process's environment as `issueDeps` and
 * `withSubscriptions` build the CLI's (the same adapters, `issueDepsFromEnv` included), for
 * the studio locally and, later, the stack's `/editor` function. It lives among the handlers
 * because the import rules let only handlers and the CLI join adapters to the app.
 */
export function editorApiDepsFromEnv(options: EditorApiEnvOptions): EditorApiDeps {
  const { config, log } = options;
  const issues = issueDepsFromEnv(
    config,
    options.templates,
    options.archive ?? ((issueId, content) => archiveFromEnv().putIssue(issueId, content.html)),
    log,
    options.unknownWindowSeconds ?? config.sendUnknownWindowSeconds,
  );
  const { subscribers, suppressions } = subscriptionStores();
  let confirmation: Promise<ConfirmationTemplates> | undefined;
  const files = options.imageFolder
    ? confinedImageFiles(new FileImageSource(options.imageFolder), options.imageFolder)
    : noImageFiles;
  return {
    config,
    issues,
    subscriptions: {
      config,
      subscribers,
      suppressions,
      mailer: new SesMailer(ses(), config.configurationSet),
      // Compiled on the first confirmation only: most requests send none.
      confirmationTemplates: () => (confirmation ??= options.confirmationTemplates()),
      hashKey: options.hashKey,
      linkKeys: options.linkKeys,
      newId: issues.newId,
      now: issues.now,
      ledger: new DynamoDbSendLedgerEraser(dynamoDb(), tableName(tables.sends)),
    },
    articles: {
      articles: issues.articles,
      media: mediaStoreFromEnv(),
      processor: options.imageProcessor,
      files,
      fetcher: new HttpsImageFetcher(),
      config,
    },
    actor: options.actor,
    check: options.check ?? ((message) => checkMessage(message, config)),
    ...(options.scheduleAnchor ? { scheduleAnchor: options.scheduleAnchor } : {}),
    handOffCancel: async (issueId) =>
      keepGoing(log)("marking a cancelled issue's queued records", finishCancel(issues, issueId)),
    audit: new DynamoDbAuditTrail(dynamoDb(), tableName(tables.audit)),
    linkKeys: options.linkKeys,
    log,
  };
}
