import type { PublicAppDeps } from '#app/public-app.ts';
import type { IssueArchive } from '#core/issues/ports.ts';
import type { MediaStore } from '#core/media/ports.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { MemoryArticleStore } from '../fakes/memory-stores.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

/** An archive that holds issues in memory. */
class MemoryIssueArchive implements IssueArchive {
  readonly items = new Map<string, string>();
  async putIssue(issueId: string, html: string) {
    this.items.set(issueId, html);
  }
  async getIssue(issueId: string) {
    return this.items.get(issueId);
  }
}

/**
 * What `createPublicApp` needs, in memory, with the project's page templates: the
 * subscription fakes (`subscriptions`), an empty archive, and `media` when given (none: as
 * the Lambda builds it). Every line the app logs lands in `lines`.
 */
export function publicAppDeps(options: { media?: MediaStore } = {}) {
  const subscriptions = memorySubscriptionDeps();
  const lines: Record<string, unknown>[] = [];
  const deps: PublicAppDeps = {
    subscriptions: { ...subscriptions, hashKey: async () => subscriptions.hashKey },
    archive: {
      issues: new MemoryIssueArchive(),
      articles: new MemoryArticleStore(),
      templates: () => loadPageTemplates(),
      site: {
        listName: subscriptions.config.listName,
        language: subscriptions.config.language,
        publicBaseUrl: subscriptions.config.publicBaseUrl,
      },
    },
    ...(options.media ? { media: options.media } : {}),
    log: (line) => lines.push(line),
  };
  return { deps, subscriptions, lines };
}
