import { loadConfig } from '#adapters/config-file.ts';
import { noImageFiles } from '#app/editor-api/confined-image-files.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import { MemoryAuditTrail } from '../../fakes/memory-audit-trail.ts';
import { memoryIssueDeps, templateRender } from '../../fakes/memory-issue-deps.ts';
import { memorySubscriptionDeps } from '../../fakes/memory-subscription-stores.ts';

/**
 * The editor API's ports on in-memory fakes: the issue and subscription fakes of the unit
 * tests on one subscriber store, the real renderer (or the test's), the repository's configuration, no image
 * processing, every log line and every cancel handed on kept for the test.
 */
export async function memoryEditorApiDeps(
  options: { renderIssue?: IssueDeps['renderIssue'] } = {},
) {
  const subscriptions = memorySubscriptionDeps();
  let ids = 0;
  const issues = memoryIssueDeps(subscriptions.subscribers, {
    renderIssue: options.renderIssue ?? templateRender,
    newId: () => `01JISSUE${String(++ids).padStart(18, '0')}`,
    now: subscriptions.now,
    archive: async () => {},
  });
  const lines: Record<string, unknown>[] = [];
  /** The issues whose cancel was handed on: the test runs `finishCancel` when it wants. */
  const handedOff: string[] = [];
  const config = await loadConfig({});
  const audit = new MemoryAuditTrail();
  const deps: EditorApiDeps = {
    config,
    issues,
    subscriptions,
    articles: {
      articles: issues.articles,
      media: issues.media,
      processor: {
        process: async () => {
          throw new Error('no photo is processed in these tests');
        },
      },
      files: noImageFiles,
      fetcher: {
        fetch: async () => {
          throw new Error('no photo is fetched in these tests');
        },
      },
      config,
    },
    actor: () => 'cli:tester',
    check: () => [],
    handOffCancel: async (issueId) => {
      handedOff.push(issueId);
    },
    audit,
    // The keys `/keys` rotates are those the subscriber links are signed with.
    linkKeys: subscriptions.linkKeys,
    log: (line) => lines.push(line),
  };
  return { deps, issues, subscriptions, lines, handedOff, audit };
}
