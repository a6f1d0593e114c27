import { mediaBaseUrlOf } from '../media/media-url.ts';
import { assertCurrent } from './assert-current.ts';
import { hasActiveSubscriber } from './has-active-subscriber.ts';
import type { IssueDeps } from './issue-deps.ts';
import { IssueInProgressError } from './issue-in-progress-error.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { assertAllows, isUnderway } from './issue-state.ts';
import { moveIssue } from './move-issue.ts';
import { NoActiveSubscriberError } from './no-active-subscriber-error.ts';
import type { Issue, SendingSlot } from './ports.ts';
import { prepareIssue } from './prepare-issue.ts';
import { publicCopy } from './public-copy.ts';
import { weighImages } from './weigh-images.ts';

/** What `startIssue` started. */
export interface StartedIssue {
  issue: Issue;
  /** Recipients put on the send queue by this call. */
  enqueued: number;
}

/**
 * How long a start may take from taking the list's sending slot to moving its draft to
 * `sending`: one write. A slot held longer by a draft was left by a start that crashed in
 * between, and the next start carries it through.
 */
const UNFINISHED_START_MS = 60_000;

/**
 * Sends a draft now, exactly as rendered: the one way an issue starts, for `issues send`,
 * `newsletter send` and the schedule.
 *
 * One issue at a time, whoever starts it: the start is decided by one conditional write on
 * the list's sending slot (`IssueStore.takeSendingSlot`); the draft then moves to `sending`
 * with its start time, rate (`rate`, else SES's `MaxSendRate`, else `sendRate`), what its
 * images weigh and, with `canaryPercent` above 0, its canary (see `startCanary`). A crash
 * between the two is repaired by the next start, which carries the slot's draft through
 * (`repairSlot`). Then the public copy is archived and the ledger prepared and enqueued
 * (`prepareIssue`); a crash there is carried on by `carryOn`.
 * @throws IssueNotFoundError; IssueStateError when it is not a draft; DraftOutdatedError
 *   when an issue that began after this version was rendered carries one of its articles;
 *   NoActiveSubscriberError; IssueInProgressError when another issue is sending or paused.
 *   In each case nothing is changed.
 */
export async function startIssue(
  deps: IssueDeps,
  issueId: string,
  actor: string,
  options: { rate?: number; deadline?: number } = {},
): Promise<StartedIssue> {
  const draft = await deps.issues.get(issueId);
  if (!draft) throw new IssueNotFoundError(issueId);
  assertAllows(draft, 'send');
  if (!(await hasActiveSubscriber(deps.subscriberPages))) {
    throw new NoActiveSubscriberError();
  }
  await takeSendingSlot(deps, issueId, actor);
  let issue: Issue;
  try {
    // Checked holding the slot: no other issue can begin carrying articles meanwhile.
    assertCurrent(draft, await deps.issues.list());
    const rate = options.rate ?? (await deps.quota.maxSendRate()) ?? deps.config.sendRate;
    const images = await weighImages(
      (await publicRender(deps, draft)).html,
      mediaBaseUrlOf(deps.config),
      deps.media,
    );
    const at = deps.now();
    const canary = canaryAtStart(deps.config);
    issue = await moveIssue(
      deps.issues,
      issueId,
      'send',
      { actor, at },
      {
        version: draft.version,
        detail:
          `version ${draft.version} at ${rate} messages/s` +
          (canary.canary ? `, first to a canary of ${canary.canary.percent} %` : ''),
        changes: { startedAt: at.toISOString(), rate, images, ...canary },
      },
    );
  } catch (error) {
    await deps.issues.releaseSendingSlot(issueId);
    throw error;
  }
  const enqueued = await carryOn(deps, issue, options.deadline);
  return { issue, enqueued };
}

/**
 * Carries on what a start leaves after its deciding writes, which a crash may have cut
 * short: the public copy in the archive, and the ledger's preparation. Both are safe to do
 * twice.
 * @returns recipients enqueued
 */
export async function carryOn(deps: IssueDeps, issue: Issue, deadline?: number): Promise<number> {
  if (issue.preparedAt !== undefined) return 0;
  await deps.archive(issue.issueId, await publicRender(deps, issue));
  return prepareIssue(deps, issue, {
    ...(issue.prepareCursor === undefined ? {} : { cursor: issue.prepareCursor }),
    ...(deadline === undefined ? {} : { deadline }),
  });
}

/**
 * The canary an issue starts with: a share of its recipients first (`canaryPercent`), the
 * others held back until it ends; nothing when `canaryPercent` is 0.
 */
function canaryAtStart(config: IssueDeps['config']): Pick<Issue, 'canary'> {
  return config.canaryPercent > 0 ? { canary: { percent: config.canaryPercent } } : {};
}

/** The issue's stored render as anyone may read it. */
async function publicRender(deps: IssueDeps, issue: Issue) {
  const rendered = await deps.renderedIssues.get(issue.issueId, issue.sha256);
  if (!rendered) {
    throw new Error(`issue ${issue.issueId} has no stored render of version ${issue.version}`);
  }
  return publicCopy(deps.config, rendered);
}

/**
 * Makes `issueId` the one issue the list sends. A slot left to a sent or cancelled issue (its
 * release was lost) is taken over; a slot left to a draft by a start that crashed is first
 * carried through, by moving that draft to `sending`.
 * @throws IssueInProgressError naming the issue that is sending or paused
 */
async function takeSendingSlot(deps: IssueDeps, issueId: string, actor: string): Promise<void> {
  const now = deps.now();
  let holder = await deps.issues.takeSendingSlot(issueId, now.toISOString());
  if (holder && (await isReleasable(deps, holder, now, actor))) {
    holder = await deps.issues.takeSendingSlot(issueId, now.toISOString(), holder);
  }
  if (holder) throw new IssueInProgressError(holder.issueId);
}

/** Whether the slot's holder is done with it; carries through a start that crashed. */
async function isReleasable(
  deps: IssueDeps,
  holder: SendingSlot,
  now: Date,
  actor: string,
): Promise<boolean> {
  const issue = await deps.issues.get(holder.issueId);
  if (!issue) return now.getTime() - Date.parse(holder.since) > UNFINISHED_START_MS;
  if (isUnderway(issue)) return false;
  if (issue.state !== 'draft' && issue.state !== 'scheduled') return true;
  if (now.getTime() - Date.parse(holder.since) <= UNFINISHED_START_MS) return false;
  await repairSlot(deps, issue, now, actor);
  return false;
}

/** A start that took the slot and crashed before moving its draft: the move is made now. */
async function repairSlot(deps: IssueDeps, draft: Issue, now: Date, actor: string) {
  await deps.issues.move(draft.issueId, {
    from: ['draft', 'scheduled'],
    to: 'sending',
    version: draft.version,
    changes: { startedAt: now.toISOString(), ...canaryAtStart(deps.config) },
    entry: {
      at: now.toISOString(),
      actor,
      action: 'send',
      detail: 'carried through after a start that stopped midway',
    },
  });
}
