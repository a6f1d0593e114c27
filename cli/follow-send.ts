import { join } from 'node:path';
import type { Config } from '#core/common/config.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { cliActor } from './cli-actor.ts';
import type { CommandContext } from './command-context.ts';
import { describeCanary } from './describe-canary.ts';
import { describeStatus } from './describe-status.ts';
import { followIssue, type SendOutcome } from './follow-issue.ts';
import { unknownWindowSeconds } from './issue-deps.ts';
import { localIssuePath } from './local-archive.ts';
import type { Output } from './output.ts';

/**
 * Follows an issue being sent (`send`, `issues send`, `issues resume`) with the progress bar,
 * and says how it ended; while the issue's canary waits, says until when. Ctrl-C pauses the
 * issue cleanly, once no sender can claim any more, and prints the command that resumes it;
 * a pause or a cancel from elsewhere ends the following too, saying who did it.
 */
export async function followSend(
  context: CommandContext,
  out: Output,
  deps: IssueDeps,
  issue: Issue,
): Promise<SendOutcome> {
  const config = await context.config();
  const stallMs = stallTimeoutMs(context, config);
  let pausing: Promise<unknown> | undefined;
  const onInterrupt = () => {
    if (pausing) return;
    out.info(`\nPausing issue ${issue.issueId}…`);
    pausing = pauseIssue(deps, issue.issueId, cliActor()).then(
      ({ inFlight }) =>
        out.info(
          `Paused: ${inFlight} ${inFlight === 1 ? 'call' : 'calls'} to SES still finishing.`,
        ),
      (error: unknown) => out.info(`Could not pause: ${String(error)}`),
    );
  };
  process.on('SIGINT', onInterrupt);
  let outcome: SendOutcome;
  try {
    outcome = await followIssue(deps, issue, stallMs, (canary, status) =>
      out.info(
        `${describeCanary(canary, status.recipients, config.scheduleTimeZone)} Waiting for it; Ctrl-C pauses the issue.`,
      ),
    );
    if (pausing) {
      await pausing;
      // Counted again once the senders have stopped: the last calls settled meanwhile.
      const current = (await deps.issues.get(issue.issueId)) ?? issue;
      outcome = { ...outcome, status: (await finishIssue(deps, current, deps.now())).status };
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  reportOutcome(context, out, issue, outcome, stallMs);
  return outcome;
}

/**
 * The exit code of a command that followed an issue: 0 when it was sent without failures, or
 * an editor paused or cancelled it; 1 when it paused itself, stalled, or messages failed.
 */
export function followExitCode(outcome: SendOutcome): number {
  if (outcome.stopped) return isPerson(outcome.stopped.by?.actor) ? 0 : 1;
  return outcome.done && outcome.status.failed === 0 ? 0 : 1;
}

/** Whether an actor is a person (the CLI, an IAM principal), not a part of the system. */
function isPerson(actor: string | undefined): boolean {
  return actor !== undefined && /^(cli|iam):/.test(actor);
}

/**
 * How long the issue may go without any change before the command stops following it: well
 * past the window after which a send without an answer from SES counts as unknown.
 */
export function stallTimeoutMs(context: CommandContext, config: Config): number {
  const window = unknownWindowSeconds(config, context.targetsAws);
  return Math.max(60, 3 * window) * 1000;
}

function reportOutcome(
  context: CommandContext,
  out: Output,
  issue: Issue,
  outcome: SendOutcome,
  stallMs: number,
): void {
  const { stopped } = outcome;
  out.info(describeStatus(outcome.status, stopped?.state ?? (outcome.done ? 'sent' : 'sending')));
  if (stopped) {
    out.info(describeStop(issue.issueId, stopped));
  } else if (!outcome.done) {
    const logs = join(context.stateDir, 'handlers.log');
    out.info(
      `No progress for ${stallMs / 1000} s: the issue is not finished. See ${logs}; run \`newsletter send\` again to resume, or \`newsletter send --resend-unknown ${issue.issueId}\` to send the unknown ones anyway.`,
    );
  }
  out.info(`Rendered issue: ${localIssuePath(context.stateDir, issue.issueId, 'html')}`);
}

/** Who paused or cancelled a followed issue, when, why, and how to resume a paused one. */
export function describeStop(
  issueId: string,
  stopped: NonNullable<SendOutcome['stopped']>,
): string {
  const { by } = stopped;
  const reason = by?.detail ? `: ${by.detail}` : '';
  const who = by ? ` by ${by.actor} at ${by.at}${reason}` : '';
  return stopped.state === 'paused'
    ? `Issue ${issueId} was paused${who}. Resume it with \`newsletter issues resume ${issueId}\`.`
    : `Issue ${issueId} was cancelled${who}.`;
}
