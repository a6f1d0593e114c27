import type { ArticleStore } from '../articles/ports.ts';
import type { Config } from '../common/config.ts';
import type { EventBacklog } from '../events/ports.ts';
import { mediaBaseUrlOf } from '../media/media-url.ts';
import type { MediaStore } from '../media/ports.ts';
import type { IssueView, ShownArticle } from '../rendering/issue-view.ts';
import { personalize } from '../rendering/personalize.ts';
import type { RenderedIssue } from '../rendering/render-issue.ts';
import type { SendLedger, SendQueue, SendQuota } from '../sending/ports.ts';
import type { SubscriberPages } from '../subscribers/ports.ts';
import { unsubscribeUrl } from '../subscribers/unsubscribe-url.ts';
import { composeIssue, type IssueSettings } from './compose-issue.ts';
import { IssueInProgressError } from './issue-in-progress-error.ts';
import { finishIssue } from './issue-status.ts';
import { NoActiveSubscriberError } from './no-active-subscriber-error.ts';
import type { Issue, IssueStore, RenderedIssueStore, SendingSlot } from './ports.ts';
import { prepareIssue, restoreWorkList } from './prepare-issue.ts';
import { weighImages } from './weigh-images.ts';

/** What planning, rendering and fanning out an issue need. */
export interface IssueDeps {
  config: IssueSettings &
    Pick<Config, 'sendRate' | 'sendConcurrency' | 'sendPageSize' | 'listId' | 'fromEmail'>;
  articles: ArticleStore;
  subscriberPages: SubscriberPages;
  issues: IssueStore;
  ledger: SendLedger;
  queue: SendQueue;
  quota: SendQuota;
  /**
   * Where SES events wait: an issue whose unknown outcomes only dead-lettered events could
   * settle is marked done without them (`finishIssue`).
   */
  events: Pick<EventBacklog, 'backlog'>;
  /**
   * Seconds an unknown outcome waits for SES's `Send` event, as the senders of this issue
   * use it (`sendUnknownWindowSeconds`, locally `localSendUnknownWindowSeconds`).
   */
  unknownWindowSeconds: number;
  renderedIssues: RenderedIssueStore;
  /** Where the importer stored the photos: their sizes give the issue's image weight. */
  media: Pick<MediaStore, 'size'>;
  renderIssue(view: IssueView): Promise<RenderedIssue>;
  /** A new opaque ULID. */
  newId(): string;
  now(): Date;
  /** Keeps the issue as everyone may read it (no personal data) for "view in browser". */
  archive(issueId: string, content: { html: string; text: string }): Promise<void>;
}

/** What `sendIssue` started or resumed. */
export interface StartedIssue {
  issue: Issue;
  articles: number;
  /** True when an issue that an earlier run left unfinished was resumed. */
  resumed: boolean;
  /** Recipients put on the send queue by this call. */
  enqueued: number;
}

/**
 * Starts the next issue, or resumes the unfinished one: what the schedule runs and what
 * `newsletter send` starts with. An unfinished issue whose ledger says every message has
 * its outcome, or whose unknown outcomes only SES events in the events dead-letter queue
 * could settle, is marked done first (`finishIssue`), so that no stuck event holds up the
 * next issue. A new issue is planned and rendered once, its render kept
 * for the senders (`RenderedIssueStore`), its public copy archived, and the issue recorded
 * with its rate (`rate`, else SES's `MaxSendRate`, else `sendRate`) and what its images weigh
 * (`weighImages`); then its ledger is
 * prepared, and its pages enqueued, by `prepareIssue`. A resumed issue whose send queue is
 * empty (SQS is only the work list: a crash may have lost it) gets what the ledger says is
 * not done enqueued again; a resumed issue whose preparation never finished has it carried
 * on, also while its first pages are still on the queue (a run that failed mid-way).
 *
 * One issue at a time, whoever starts it: a new issue takes the list's sending slot with one
 * conditional write before anything of it is stored, and frees it when done (`finishIssue`).
 * @param options.rate messages per second for the issue (the editor's `--rate`)
 * @param options.deadline when preparing must hand over to a `PrepareStep` (ms since the epoch)
 * @returns undefined when there is no unfinished issue and no article is new
 * @throws NoActiveSubscriberError when a new issue would go to nobody; nothing is stored
 * @throws IssueInProgressError when another start won the slot; nothing is stored
 */
export async function sendIssue(
  deps: IssueDeps,
  options: { rate?: number; deadline?: number } = {},
): Promise<StartedIssue | undefined> {
  const issues = await deps.issues.list();
  const unfinished = issues.find((issue) => issue.status !== 'done');
  // An issue whose every message has its outcome is done, even if nobody said so yet.
  if (unfinished && !(await finishIssue(deps, unfinished, deps.now())).done) {
    return resumeIssue(deps, unfinished, options);
  }

  const composed = await composeIssue({
    issueId: deps.newId(),
    now: deps.now(),
    articles: await deps.articles.list(),
    issues,
    settings: deps.config,
    render: deps.renderIssue,
  });
  if (!composed) return undefined;
  // An issue to nobody would count its articles as carried: they must wait for a reader.
  if (!(await hasActiveSubscriber(deps.subscriberPages))) {
    throw new NoActiveSubscriberError(composed.articles.length);
  }
  await takeSendingSlot(deps, composed.issue.issueId);
  const rate = options.rate ?? (await deps.quota.maxSendRate()) ?? deps.config.sendRate;
  const copy = publicCopy(deps, composed.rendered);
  const images = await weighImages(copy.html, mediaBaseUrlOf(deps.config), deps.media);
  const issue: Issue = { ...composed.issue, rate, images };
  // The render is stored before the issue exists: a recorded issue always has it.
  await deps.renderedIssues.put(composed.rendered);
  await deps.archive(issue.issueId, copy);
  await deps.issues.create(issue);
  const enqueued = await prepareIssue(deps, issue, { deadline: options.deadline });
  return { issue, articles: composed.articles.length, resumed: false, enqueued };
}

/**
 * The next issue's articles, its HTML and text as anyone may read them, and what its images
 * weigh (`issue.images`); stores nothing.
 */
export async function previewIssue(
  deps: Omit<IssueDeps, 'queue' | 'ledger'>,
): Promise<{ issue: Issue; articles: ShownArticle[]; html: string; text: string } | undefined> {
  const composed = await composeIssue({
    issueId: deps.newId(),
    now: deps.now(),
    articles: await deps.articles.list(),
    issues: await deps.issues.list(),
    settings: deps.config,
    render: deps.renderIssue,
  });
  if (!composed) return undefined;
  const { issue, articles, rendered } = composed;
  const copy = publicCopy(deps, rendered);
  issue.images = await weighImages(copy.html, mediaBaseUrlOf(deps.config), deps.media);
  return { issue, articles, ...copy };
}

/**
 * How long a start may take from taking the sending slot to recording its issue (storing the
 * render and the public copy in between); a slot held longer by an issue never recorded was
 * left by a start that crashed, and is taken over.
 */
const ABANDONED_START_MS = 5 * 60_000;

/**
 * Makes the new issue the one the list sends (`IssueStore.takeSendingSlot`), taking the slot
 * over from a start that crashed before recording its issue, or from a done issue whose
 * release was lost.
 * @throws IssueInProgressError when another issue is being sent or started
 */
async function takeSendingSlot(deps: IssueDeps, issueId: string): Promise<void> {
  const now = deps.now();
  let holder = await deps.issues.takeSendingSlot(issueId, now.toISOString());
  if (holder && (await isAbandoned(deps.issues, holder, now))) {
    holder = await deps.issues.takeSendingSlot(issueId, now.toISOString(), holder);
  }
  if (holder) throw new IssueInProgressError(holder.issueId);
}

async function isAbandoned(issues: IssueStore, holder: SendingSlot, now: Date): Promise<boolean> {
  const issue = await issues.get(holder.issueId);
  if (issue) return issue.status === 'done';
  return now.getTime() - Date.parse(holder.since) > ABANDONED_START_MS;
}

/** Whether any subscriber is active, reading pages only until one is found. */
async function hasActiveSubscriber(pages: SubscriberPages): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await pages.page(cursor, 100);
    if (page.subscribers.some((subscriber) => subscriber.status === 'active')) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

async function resumeIssue(
  deps: IssueDeps,
  issue: Issue,
  options: { rate?: number; deadline?: number },
): Promise<StartedIssue> {
  const rate =
    options.rate ?? issue.rate ?? (await deps.quota.maxSendRate()) ?? deps.config.sendRate;
  if (rate !== issue.rate) {
    await deps.issues.update(issue.issueId, { rate });
    issue.rate = rate;
  }
  // Pages still on the queue carry on by themselves; an empty queue lost its work list. A
  // preparation that a failed run left mid-way is carried on at once, whatever the queue holds:
  // else the rest of the list would wait for the next schedule. Preparing twice is safe.
  let enqueued = 0;
  if (await deps.queue.isIdle()) {
    enqueued = await restoreWorkList(deps, issue, options.deadline);
  } else if (issue.preparedAt === undefined) {
    enqueued = await prepareIssue(deps, issue, {
      cursor: issue.prepareCursor,
      deadline: options.deadline,
    });
  }
  return { issue, articles: issue.articleIds.length, resumed: true, enqueued };
}

/** The copy that belongs to nobody (archive, preview): no token, no name. */
function publicCopy(deps: Pick<IssueDeps, 'config'>, rendered: RenderedIssue) {
  return personalize(rendered, {
    unsubscribeUrl: unsubscribeUrl(deps.config.publicBaseUrl),
    name: '',
  });
}
