import { ulid } from 'ulid';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { mediaStoreFromEnv } from './s3-media-store.ts';
import { sendingAdapters } from './sending-adapters.ts';

/**
 * What starting an issue needs, built from the function's environment: the same on Lambda
 * and for `newsletter send`.
 * @param archive keeps the public copy of the issue (no personal data)
 * @param log where a failed `GetSendQuota` is reported; default the console
 * @param unknownWindowSeconds the window of the senders that send the issue; default
 *   `sendUnknownWindowSeconds` (the deployed senders')
 */
export function issueDepsFromEnv(
  config: Config,
  templates: TemplateSet,
  archive: IssueDeps['archive'],
  log?: LogLine,
  unknownWindowSeconds = config.sendUnknownWindowSeconds,
): IssueDeps {
  const adapters = sendingAdapters(config.configurationSet, process.env, log);
  return {
    config,
    articles: adapters.articles,
    subscriberPages: adapters.subscriberPages,
    issues: adapters.issues,
    ledger: adapters.ledger,
    queue: adapters.queue,
    quota: adapters.quota,
    events: adapters.events,
    unknownWindowSeconds,
    renderedIssues: adapters.renderedIssues,
    media: mediaStoreFromEnv(),
    renderIssue: (view) => renderIssue(view, templates),
    newId: () => ulid(),
    now: () => new Date(),
    leases: adapters.leases,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    archive,
  };
}
