import { mediaBaseUrlOf } from '../media/media-url.ts';
import type { ShownArticle } from '../rendering/issue-view.ts';
import { composeIssue } from './compose-issue.ts';
import { draftIssue } from './draft-issue.ts';
import { hasActiveSubscriber } from './has-active-subscriber.ts';
import type { IssueDeps } from './issue-deps.ts';
import { IssuePausedError } from './issue-paused-error.ts';
import { isUnderway } from './issue-state.ts';
import { finishIssue } from './issue-status.ts';
import { NoActiveSubscriberError } from './no-active-subscriber-error.ts';
import type { Issue } from './ports.ts';
import { enqueueUnfinished } from './prepare-issue.ts';
import { publicCopy } from './public-copy.ts';
import { carryOn, startIssue } from './start-issue.ts';
import { weighImages } from './weigh-images.ts';

export type { IssueDeps } from './issue-deps.ts';

/** What `sendIssue` started or carried on. */
export interface SentIssue {
  issue: Issue;
  /** True when the issue that was sending already was carried on. */
  resumed: boolean;
  /** Recipients put on the send queue by this call. */
  enqueued: number;
}

/**
 * `newsletter send` and the schedule: carries on the issue that is sending, or drafts the
 * next issue from the stored articles and sends it at once (`draftIssue`, `startIssue`).
 * An issue that is sending but whose ledger says every message has its outcome, or whose
 * unknown outcomes only SES events in the events dead-letter queue could settle, is marked
 * sent first (`finishIssue`), so that nothing stuck holds up the next issue. Drafts an editor
 * keeps stay drafts.
 *
 * Carrying on: a queue that holds nothing lost its work list (SQS is only the work list), so
 * what the ledger says is not done is enqueued again; a preparation that a failed run left
 * midway is carried on at once, whatever the queue holds, rather than at the next schedule.
 * @param actor who sends (`cli:<user>`, `schedule`)
 * @param options.rate messages per second for a new issue, or the one carried on
 * @param options.deadline when preparing must hand over to a `PrepareStep` (ms since the epoch)
 * @returns undefined when no issue is sending and no article is new
 * @throws IssuePausedError when an issue is paused: only `resume` goes on with it
 * @throws NoActiveSubscriberError, IssueInProgressError (see `startIssue`): nothing is sent,
 *   and the draft made for the send is cancelled
 */
export async function sendIssue(
  deps: IssueDeps,
  actor: string,
  options: { rate?: number; deadline?: number } = {},
): Promise<SentIssue | undefined> {
  const underway = (await deps.issues.list()).find(isUnderway);
  if (underway?.state === 'paused') throw new IssuePausedError(underway.issueId);
  if (underway && !(await finishIssue(deps, underway, deps.now(), { exact: true })).done) {
    return { issue: underway, resumed: true, enqueued: await resume(deps, underway, options) };
  }
  // Checked before drafting too, so that a schedule with nobody to send to leaves no trace.
  if (!(await hasActiveSubscriber(deps.subscriberPages))) throw new NoActiveSubscriberError();
  const draft = await draftIssue(deps, {}, actor);
  if (!draft) return undefined;
  try {
    const started = await startIssue(deps, draft.issue.issueId, actor, options);
    return { ...started, resumed: false };
  } catch (error) {
    // The draft was made for this send only: it must not wait among the editor's drafts.
    await deps.issues.move(draft.issue.issueId, {
      from: ['draft'],
      to: 'cancelled',
      changes: { mailedNobody: true },
      entry: { at: deps.now().toISOString(), actor, action: 'cancel', detail: 'not started' },
    });
    throw error;
  }
}

/** Carries on an issue that is sending (see `sendIssue`); recipients enqueued. */
async function resume(
  deps: IssueDeps,
  issue: Issue,
  options: { rate?: number; deadline?: number },
): Promise<number> {
  const rate =
    options.rate ?? issue.rate ?? (await deps.quota.maxSendRate()) ?? deps.config.sendRate;
  if (rate !== issue.rate) {
    await deps.issues.update(issue.issueId, { rate });
    issue.rate = rate;
  }
  // Pages still on the queue carry on by themselves; an empty queue lost its work list.
  const restored = (await deps.queue.isIdle()) ? await enqueueUnfinished(deps, issue) : 0;
  return restored + (await carryOn(deps, issue, options.deadline));
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
  const copy = publicCopy(deps.config, rendered);
  issue.images = await weighImages(copy.html, mediaBaseUrlOf(deps.config), deps.media);
  return { issue, articles, ...copy };
}
