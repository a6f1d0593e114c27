import type { Config } from '../common/config.ts';
import type { PrepareStep, SendLedger, SendPage, SendQueue } from '../sending/ports.ts';
import { type PagePlanOptions, splitIntoPages } from '../sending/send-pacing.ts';
import type { SubscriberPages } from '../subscribers/ports.ts';
import type { Issue, IssueStore } from './ports.ts';

// Kept apart from send-issue.ts so that the sender's bundle, which carries on preparing
// large lists, does not load the planner and the Handlebars compiler.

/** What preparing an issue's ledger and work list needs. */
export interface PrepareDeps {
  config: Pick<Config, 'sendRate' | 'sendConcurrency' | 'sendPageSize'>;
  subscriberPages: SubscriberPages;
  ledger: SendLedger;
  issues: IssueStore;
  queue: SendQueue;
  now(): Date;
}

/** Subscribers read per page while preparing the ledger. */
const PREPARE_PAGE = 1000;
/** Pages handed to the queue at once (its adapter batches them further). */
const ENQUEUE_BATCH = 100;

/**
 * Gives every subscriber a ledger record for the issue, `queued` when active, `suppressed`
 * when unsubscribed or suppressed (pending subscribers are not on the list yet), a page of
 * subscribers at a time from `cursor`, and enqueues the new `queued` ones at once, so that
 * sending starts while the list is still being read. Each page moves the issue's
 * `prepareCursor` on, and the last marks the issue prepared, with a conditional write: of
 * two processes preparing the same issue, the slower one stops. Records are only ever added,
 * never overwritten, so preparing again is always safe.
 *
 * At `deadline` (ms since the epoch) it stops and enqueues a `PrepareStep`: the send-batch
 * handler carries on from there (`continuePreparing`), so a list of any size is prepared
 * within the time limit of each invocation.
 *
 * Before each page it reads the issue again, and stops when it is no longer `sending`: a
 * paused issue's resume carries the preparation on, a cancelled one is never prepared further.
 * @returns how many recipients were enqueued
 */
export async function prepareIssue(
  deps: PrepareDeps,
  issue: Issue,
  options: { cursor?: string; deadline?: number } = {},
): Promise<number> {
  const plan = pagePlan(deps.config, issue);
  let cursor = options.cursor;
  let enqueued = 0;
  for (;;) {
    // Paused, its resume carries the preparation on; cancelled, it is never prepared further.
    if ((await deps.issues.get(issue.issueId))?.state !== 'sending') return enqueued;
    if (
      cursor !== undefined &&
      deps.now().getTime() > (options.deadline ?? Number.POSITIVE_INFINITY)
    ) {
      await deps.queue.enqueue([{ issueId: issue.issueId, prepareFrom: cursor }]);
      return enqueued;
    }
    const at = deps.now().toISOString();
    const page = await deps.subscriberPages.page(cursor, PREPARE_PAGE);
    const entries: { subscriberId: string; status: 'queued' | 'suppressed' }[] = [];
    for (const subscriber of page.subscribers) {
      if (subscriber.status === 'active') {
        entries.push({ subscriberId: subscriber.id, status: 'queued' });
      } else if (subscriber.status === 'unsubscribed' || subscriber.status === 'suppressed') {
        entries.push({ subscriberId: subscriber.id, status: 'suppressed' });
      }
    }
    const added = await deps.ledger.addMissing(issue.issueId, entries, at);
    const queued = added
      .filter((entry) => entry.status === 'queued')
      .map((entry) => entry.subscriberId);
    // Each read is cut into whole rounds of equal pages, so that the senders end it
    // together, the last read (the end of the send) included.
    const pages: SendPage[] = splitIntoPages(queued, plan).map((subscriberIds) => ({
      issueId: issue.issueId,
      subscriberIds,
    }));
    if (pages.length > 0) await deps.queue.enqueue(pages);
    enqueued += queued.length;
    const moved = await deps.issues.update(
      issue.issueId,
      page.cursor === undefined
        ? { prepareCursor: null, preparedAt: at }
        : { prepareCursor: page.cursor },
      { prepareCursor: cursor ?? null },
    );
    // Another process prepares this issue and is ahead: it finishes the job.
    if (!moved) return enqueued;
    if (page.cursor === undefined) {
      issue.preparedAt = at;
      delete issue.prepareCursor;
      return enqueued;
    }
    cursor = page.cursor;
    issue.prepareCursor = cursor;
  }
}

/**
 * Carries on preparing an issue from a `PrepareStep` (see `prepareIssue`); a step that
 * another process has overtaken, or that came twice, does nothing.
 */
export async function continuePreparing(
  deps: PrepareDeps,
  step: PrepareStep,
  deadline?: number,
): Promise<number> {
  const issue = await deps.issues.get(step.issueId);
  if (!issue || issue.preparedAt !== undefined || issue.prepareCursor !== step.prepareFrom) {
    return 0;
  }
  return prepareIssue(deps, issue, { cursor: step.prepareFrom, deadline });
}

/**
 * Puts an issue's work back on an empty send queue: every recipient the ledger says is not
 * done, and the rest of the preparation if it never finished. Call it only when the queue
 * holds nothing (a crash lost it, or pages went to the dead-letter queue).
 * @returns how many recipients were enqueued
 */
export async function restoreWorkList(
  deps: PrepareDeps,
  issue: Issue,
  deadline?: number,
): Promise<number> {
  let enqueued = await enqueueUnfinished(deps, issue);
  if (issue.preparedAt === undefined) {
    enqueued += await prepareIssue(deps, issue, { cursor: issue.prepareCursor, deadline });
  }
  return enqueued;
}

/**
 * Enqueues, as pages, every recipient of the issue whose ledger record is not final
 * (`queued`, `claimed`, `unknown`), cut as `prepareIssue` cuts them: up to
 * {@link PREPARE_PAGE} recipients at a time into whole rounds of equal pages.
 * @returns how many recipients were enqueued
 */
export async function enqueueUnfinished(
  deps: Pick<PrepareDeps, 'ledger' | 'queue' | 'config'>,
  issue: Issue,
): Promise<number> {
  const plan = pagePlan(deps.config, issue);
  let pages: SendPage[] = [];
  let current: string[] = [];
  let enqueued = 0;
  const cut = () => {
    for (const subscriberIds of splitIntoPages(current, plan)) {
      pages.push({ issueId: issue.issueId, subscriberIds });
    }
    current = [];
  };
  const flushPages = async () => {
    if (pages.length > 0) await deps.queue.enqueue(pages);
    pages = [];
  };
  for await (const records of deps.ledger.pages(issue.issueId)) {
    for (const record of records) {
      if (!['queued', 'claimed', 'unknown'].includes(record.status)) continue;
      current.push(record.subscriberId);
      enqueued++;
      if (current.length === PREPARE_PAGE) {
        cut();
        if (pages.length >= ENQUEUE_BATCH) await flushPages();
      }
    }
  }
  cut();
  await flushPages();
  return enqueued;
}

/** How the issue's recipients are cut into pages (see `pageSizes`). */
function pagePlan(config: PrepareDeps['config'], issue: Issue): PagePlanOptions {
  return {
    configured: config.sendPageSize,
    issueRate: issue.rate ?? config.sendRate,
    maxConcurrency: config.sendConcurrency,
  };
}
