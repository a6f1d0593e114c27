import type { IssueDeps } from '#core/issues/send-issue.ts';
import { MemoryMediaStore } from './memory-media-store.ts';
import {
  FakeEventBacklog,
  FixedQuota,
  MemoryRenderedIssueStore,
  MemorySendQueue,
} from './memory-sending.ts';
import {
  MemoryArticleStore,
  MemoryIssueStore,
  MemorySendLedger,
  type MemorySubscriberStore,
} from './memory-stores.ts';

/** What a test chooses for itself: how an issue renders, its ids, its clock and its archive. */
type IssueFunctions = Pick<IssueDeps, 'renderIssue' | 'newId' | 'now' | 'archive'>;

/**
 * An issue's dependencies on fresh in-memory stores, a quota of 200 a second and the test
 * list's config, so that the use case and the handler that runs it are tested on the same list.
 *
 * @param subscribers - the list's readers, passed in so a test can fill it as it needs
 * @param functions - the render, ids, clock and archive the test watches
 */
export function memoryIssueDeps<F extends IssueFunctions>(
  subscribers: MemorySubscriberStore,
  functions: F,
) {
  return {
    config: {
      listName: 'The Weekly Slide',
      listId: 'weekly.example.com',
      fromEmail: 'digest@example.com',
      language: 'en',
      postalAddress: '1 Example Street',
      publicBaseUrl: 'https://news.example.com',
      subjectTemplate: '{{headline}}',
      scheduleTimeZone: 'Europe/London',
      sendRate: 14,
      sendConcurrency: 2,
      sendPageSize: 100,
    },
    articles: new MemoryArticleStore(),
    subscriberPages: subscribers,
    issues: new MemoryIssueStore(),
    ledger: new MemorySendLedger(),
    queue: new MemorySendQueue(),
    quota: new FixedQuota(200),
    events: new FakeEventBacklog(),
    unknownWindowSeconds: 600,
    renderedIssues: new MemoryRenderedIssueStore(),
    media: new MemoryMediaStore(),
    ...functions,
  } satisfies IssueDeps;
}
