import type { Config } from '../common/config.ts';
import type {
  AddedStatus,
  PrepareStep,
  SendLedger,
  SendPage,
  SendQueue,
} from '../sending/ports.ts';
import { splitIntoPages } from '../sending/send-pacing.ts';
import type { SubscriberPages } from '../subscribers/ports.ts';
import { canaryHolds } from './canary-holds.ts';
import type { Issue, IssueStore } from './ports.ts';
import { startCanary } from './start-canary.ts';
import { PREPARE_PAGE, pagePlan, WorkList } from './work-list.ts';

// Kept apart from send-issue.ts so that the sender's bundle, which carries on preparing
// large lists, does not load the planner and the Handlebars compiler.

/** What preparing an issue's ledger and work list needs. */
export interface PrepareDeps {
  config: Pick<
    Config,
    'sendRate' | 'sendConcurrency' | 'sendPageSize' | 'canaryWaitMinutes' | 'pauseMinOutcomes'
  >;
  subscriberPages: SubscriberPages;
  ledger: SendLedger;
  issues: IssueStore;
  queue: SendQueue;
  now(): Date;
  /** A number in [0, 1), uniformly: who the canary goes to. Default: `Math.random`. */
  random?(): number;
}

/**
 * Gives every subscriber a ledger record for the issue, `queued` when active, `suppressed`
 * when unsubscribed or suppressed (pending subscribers are not on the list yet), a page of
 * subscribers at a time from `cursor`, and enqueues the new `queued` ones at once, so that
 * sending starts while the list is still being read. Each page moves the issue's
 * `prepareCursor` on, and the last marks the issue prepared, with a conditional write: of
 * two processes preparing the same issue, the slower one stops. Records are only ever added,
 * never overwritten, so preparing again is always safe.
 *
 * While the issue's canary holds, active subscribers get `held` records instead, and nothing
 * is enqueued; once the last page is read, the canary's recipients are picked among them and
 * enqueued (`startCanary`), before the issue is marked prepared.
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
    const current = await deps.issues.get(issue.issueId);
    // Paused, its resume carries the preparation on; cancelled, it is never prepared further.
    if (current?.state !== 'sending') return enqueued;
    if (
      cursor !== undefined &&
      deps.now().getTime() > (options.deadline ?? Number.POSITIVE_INFINITY)
    ) {
      await deps.queue.enqueue([{ issueId: issue.issueId, prepareFrom: cursor }]);
      return enqueued;
    }
    const at = deps.now().toISOString();
    const page = await deps.subscriberPages.page(cursor, PREPARE_PAGE);
    const holding = canaryHolds(current);
    const entries: { subscriberId: string; status: AddedStatus }[] = [];
    for (const subscriber of page.subscribers) {
      if (subscriber.status === 'active') {
        entries.push({ subscriberId: subscriber.id, status: holding ? 'held' : 'queued' });
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
    if (page.cursor === undefined && holding && current.canary?.until === undefined) {
      enqueued += await startCanary(deps, current);
    }
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
 * (`queued`, `claimed`, `unknown`, and `held` once the issue's canary no longer holds), cut
 * as `prepareIssue` cuts them (`WorkList`).
 * @returns how many recipients were enqueued
 */
export async function enqueueUnfinished(
  deps: Pick<PrepareDeps, 'ledger' | 'queue' | 'config'>,
  issue: Issue,
): Promise<number> {
  const unfinished = canaryHolds(issue)
    ? ['queued', 'claimed', 'unknown']
    : ['queued', 'held', 'claimed', 'unknown'];
  const list = new WorkList(deps, issue);
  for await (const records of deps.ledger.pages(issue.issueId)) {
    for (const record of records) {
      if (unfinished.includes(record.status)) await list.add(record.subscriberId);
    }
  }
  return list.close();
}
