import type { Issue } from '#core/issues/ports.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import { type RenderedIssue, renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import type { SendRecord, SendStatus } from '#core/sending/ports.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { MemoryMediaStore } from './memory-media-store.ts';
import { MemorySendLeases } from './memory-send-leases.ts';
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

/**
 * What a test chooses for itself: how an issue renders, its ids, its clock and its archive;
 * and, when it waits for senders, how its clock sleeps.
 */
type IssueFunctions = Pick<IssueDeps, 'renderIssue' | 'newId' | 'now' | 'archive'> &
  Partial<Pick<IssueDeps, 'sleep'>>;

/**
 * An issue's dependencies on fresh in-memory stores, a quota of 200 a second and the test
 * list's config, so that the use case and the handler that runs it are tested on the same list.
 * No sender holds a lease; a test whose senders do passes the `sleep` of its clock, else a
 * wait for them fails at once rather than hang on a clock that does not move.
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
      canaryPercent: 0,
      canaryWaitMinutes: 30,
      pauseMinOutcomes: 100,
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
    leases: new MemorySendLeases(),
    sleep: async (ms: number): Promise<void> => {
      throw new Error(`a wait of ${ms} ms for senders on a test clock that does not move`);
    },
    ...functions,
  } satisfies IssueDeps;
}

let templates: Promise<TemplateSet> | undefined;

/** The real renderer (Handlebars → MJML → HTML and text) over the project's templates. */
export async function templateRender(view: IssueView): Promise<RenderedIssue> {
  templates ??= loadTemplates();
  return renderIssue(view, await templates);
}

/**
 * An issue as a test stores it: version 1, rendered when created and, unless it is a draft,
 * started then too; `sending` unless `changes` (laid over it) say otherwise. Its hash names
 * no stored render.
 */
export function storedIssue(issueId: string, changes: Partial<Issue> = {}): Issue {
  const createdAt = changes.createdAt ?? '2026-11-27T07:00:00.000Z';
  const state = changes.state ?? 'sending';
  return {
    issueId,
    createdAt,
    subject: `Issue ${issueId}`,
    articleIds: ['a'],
    state,
    version: 1,
    sha256: '0'.repeat(64),
    renderedAt: createdAt,
    ...(state === 'draft' ? {} : { startedAt: createdAt }),
    timeline: [],
    ...changes,
  };
}

/**
 * Gives `subscriberId` a record of the issue in `status`, as preparing and sending would
 * leave it: added `queued` (or `suppressed`, or `held`), then moved once (with a claim once SES was
 * called, a MessageId once sent, a reason once failed), so that the ledger's counts follow.
 * @returns the record as stored
 */
export async function ledgerRecord(
  ledger: MemorySendLedger,
  issueId: string,
  subscriberId: string,
  status: SendStatus,
  at: string,
): Promise<SendRecord> {
  const added = status === 'suppressed' || status === 'held' ? status : 'queued';
  await ledger.addMissing(issueId, [{ subscriberId, status: added }], at);
  if (status !== added) {
    await ledger.update(
      issueId,
      subscriberId,
      { status: ['queued'] },
      {
        status,
        ...(['claimed', 'unknown', 'sent', 'failed'].includes(status)
          ? { claim: `claim-${subscriberId}` }
          : {}),
        ...(status === 'sent' ? { messageId: `ses-${subscriberId}` } : {}),
        ...(status === 'failed' ? { error: 'MessageRejected' } : {}),
        ...(status === 'cancelled' ? { claim: null } : {}),
      },
      at,
    );
  }
  const [record] = await ledger.getMany(issueId, [subscriberId]);
  if (!record) throw new Error(`no record of ${subscriberId} in ${issueId}`);
  return record;
}

/**
 * Marks every queued record of the issue sent, as the senders would, so that the next look
 * (`finishIssue`) finds the issue sent.
 * @returns how many records it marked
 */
export async function sendEveryQueued(
  ledger: MemorySendLedger,
  issueId: string,
  at: string,
): Promise<number> {
  let marked = 0;
  for (const record of await ledger.list(issueId)) {
    if (record.status !== 'queued') continue;
    const changed = await ledger.update(
      issueId,
      record.subscriberId,
      { status: ['queued'] },
      { status: 'sent', messageId: `ses-${record.subscriberId}` },
      at,
    );
    if (changed) marked++;
  }
  return marked;
}
