import { ulid } from 'ulid';
import type { Config } from '#core/common/config.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { sendingAdapters } from './sending-adapters.ts';

/**
 * What starting an issue needs, built from the function's environment: the same on Lambda
 * and for `newsletter send`.
 * @param archive keeps the public copy of the issue (no personal data)
 */
export function issueDepsFromEnv(
  config: Config,
  templates: TemplateSet,
  archive: IssueDeps['archive'],
): IssueDeps {
  const adapters = sendingAdapters(config.configurationSet);
  return {
    config,
    articles: adapters.articles,
    subscriberPages: adapters.subscriberPages,
    issues: adapters.issues,
    ledger: adapters.ledger,
    queue: adapters.queue,
    quota: adapters.quota,
    renderedIssues: adapters.renderedIssues,
    renderIssue: (view) => renderIssue(view, templates),
    newId: () => ulid(),
    now: () => new Date(),
    archive,
  };
}
