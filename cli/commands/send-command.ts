import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { Config } from '#core/common/config.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { resendUnknown } from '#core/issues/resend-unknown.ts';
import { type IssueDeps, sendIssue } from '#core/issues/send-issue.ts';
import type { CommandContext } from '../command-context.ts';
import { followIssue, type SendOutcome } from '../follow-issue.ts';
import { issueDeps, unknownWindowSeconds } from '../issue-deps.ts';
import { localIssuePath } from '../local-archive.ts';
import { type Output, plural } from '../output.ts';
import { sendDryRun } from '../send-dry-run.ts';
import { withSendLock } from '../send-lock.ts';
import { describeStatus } from './status-command.ts';

interface SendOptions {
  dryRun?: boolean;
  json?: boolean;
  rate?: number;
  resendUnknown?: string;
}

/** `newsletter send` */
export function sendCommand(program: Command, context: CommandContext): void {
  program
    .command('send')
    .description(
      'send the next issue to every active subscriber, or resume the unfinished one, and wait ' +
        'until every message has its outcome',
    )
    .option('--dry-run', 'write issue.html and issue.txt into the state folder, send nothing')
    .option('--rate <n>', 'messages per second for this issue (default: SES quota)', rate)
    .option(
      '--resend-unknown <issue>',
      'queue again every message of ISSUE whose outcome is unknown, without waiting for SES',
    )
    .option('--json', 'print the outcome as JSON (the status object, once the issue is done)')
    .action(async (options: SendOptions) => {
      const out = context.output(options.json);
      if (options.dryRun) return sendDryRun(context, out);
      const outcome = await runSend(context, out, options);
      out.result(outcome.status);
      if (!outcome.done || outcome.status.failed > 0) process.exitCode = 1;
    });
}

/**
 * Sends the next issue (or resumes the unfinished one, or forces an issue's unknown sends
 * out again) and waits, with a progress bar on a terminal, until every message has its
 * outcome. Shared by `send` and the demo.
 */
export async function runSend(
  context: CommandContext,
  out: Output,
  options: { rate?: number; resendUnknown?: string } = {},
): Promise<SendOutcome> {
  const config = await context.config();
  return context.withServices(() =>
    withSendLock(context.stateDir, async () => {
      const deps = await issueDeps(config, context.stateDir, context.targetsAws);
      const issue = options.resendUnknown
        ? await queueUnknownAgain(deps, out, options.resendUnknown)
        : await startNextIssue(deps, out, config, options.rate);
      if (!issue) return { status: emptyStatus, done: true };
      const stallMs = stallTimeoutMs(context, config);
      const outcome = await followIssue(deps, issue, stallMs);
      reportOutcome(context, out, issue, outcome, stallMs);
      return outcome;
    }),
  );
}

/** `--resend-unknown`: puts the issue's messages of unknown outcome on the send queue again. */
async function queueUnknownAgain(deps: IssueDeps, out: Output, issueId: string): Promise<Issue> {
  const issue = await deps.issues.get(issueId);
  if (!issue) throw new Error(`there is no issue ${issueId}`);
  // The senders drop every page of a done issue: records queued again would stay queued.
  if (issue.status === 'done') {
    throw new Error(
      `issue ${issueId} is done: its messages are not sent again` +
        (issue.heldBy
          ? '; redrive the SES events dead-letter queue to settle its unknown ones'
          : ''),
    );
  }
  const queued = await resendUnknown(deps, issue);
  out.info(
    `Queued ${plural(queued, 'message')} of unknown outcome again for issue ${issue.issueId}.`,
  );
  return issue;
}

/** Starts the next issue or resumes the unfinished one; undefined when nothing is new. */
async function startNextIssue(
  deps: IssueDeps,
  out: Output,
  config: Config,
  rate: number | undefined,
): Promise<Issue | undefined> {
  const started = await sendIssue(deps, { rate });
  if (!started) {
    out.info('Nothing new to send: every stored article was in an earlier issue.');
    return undefined;
  }
  const { issue } = started;
  const verb = started.resumed ? 'Resuming' : 'Sending';
  out.info(
    `${verb} issue ${issue.issueId} (${plural(started.articles, 'article')}) at ${issue.rate ?? config.sendRate} messages/s.`,
  );
  return issue;
}

/**
 * How long the issue may go without any change before `send` stops following it: well past
 * the window after which a send without an answer from SES counts as unknown.
 */
function stallTimeoutMs(context: CommandContext, config: Config): number {
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
  out.info(describeStatus(outcome.status, outcome.done));
  if (!outcome.done) {
    const logs = context.targetsAws
      ? "the send-batch function's logs"
      : join(context.stateDir, 'handlers.log');
    out.info(
      `No progress for ${stallMs / 1000} s: the issue is not finished. See ${logs}; run \`newsletter send\` again to resume, or \`newsletter send --resend-unknown ${issue.issueId}\` to send the unknown ones anyway.`,
    );
  }
  out.info(`Rendered issue: ${localIssuePath(context.stateDir, issue.issueId, 'html')}`);
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('must be a number of messages per second above 0');
  }
  return n;
}
