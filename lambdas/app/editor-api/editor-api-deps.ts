import type { Context } from 'hono';
import type { ImportWithImagesDeps } from '#core/articles/import-articles-with-images.ts';
import type { AuditTrail } from '#core/audit/audit-trail.ts';
import type { Check } from '#core/checks/check.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import type { LinkKeyStore } from '#core/subscribers/link-keys.ts';
import type { SendLedgerEraser } from '#core/subscribers/ports.ts';
import type { SubscriptionDeps } from '#core/subscribers/subscription-deps.ts';

/** A message as one recipient gets it: what the checks look at, and what `/preview` shows. */
export interface PreviewMessage {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/**
 * What the editor API's routes need: the same ports the CLI's commands build (`issueDeps`,
 * `withSubscriptions`, the import's), and who acts. Built from the environment by
 * `editorApiDepsFromEnv` (`lambdas/handlers/editor-api-deps-from-env.ts`).
 */
export interface EditorApiDeps {
  /** The list's configuration: the schedule, `trackEngagement`, the test send's sender. */
  config: Config;
  /** What drafting, rendering, testing, starting, pausing and cancelling an issue need. */
  issues: IssueDeps;
  /** The subscriber use cases' ports, the mailer and key of test sends, the ledger to erase. */
  subscriptions: SubscriptionDeps & { ledger: SendLedgerEraser };
  /** Importing articles with their photos. */
  articles: ImportWithImagesDeps;
  /**
   * Who makes this request, as an issue's timeline records it: locally `cli:<local user>`,
   * on AWS the IAM principal. Never an address.
   */
  actor(c: Context): string | Promise<string>;
  /** The findings of the checks on a message as it will be sent (`lambdas/core/checks/`). */
  check(message: PreviewMessage): Check[] | Promise<Check[]>;
  /**
   * Where a `rate(…)` schedule counts from (locally, serve's record), for `/schedule`;
   * absent or undefined: from now, as `newsletter schedule` previews it.
   */
  scheduleAnchor?(expression: string, timeZone: string): Promise<Date | undefined>;
  /**
   * Takes over the second half of a cancel, marking the queued records `cancelled`
   * (`finishCancel`), so that the answer need not wait for it: in a long-lived server (the
   * studio, `serve`) it goes on in this process (`keepGoing`); on Lambda, frozen once it has
   * answered and bound by the HTTP API's 30 s, it goes to the send queue as a `CancelStep`.
   */
  handOffCancel(issueId: string): Promise<void>;
  /**
   * Where every change made through the API is recorded, and `GET /audit` reads (see
   * `auditChanges`).
   */
  audit: AuditTrail;
  /**
   * The keys of subscriber links, which `/keys` lists, rotates and retires: on AWS the link
   * keys' secret (`SecretsManagerLinkKeys`), locally `<state>/link-keys.json` (`LocalLinkKeys`).
   */
  linkKeys: LinkKeyStore;
  /** Where failures are logged: never an address. */
  log: LogLine;
}
