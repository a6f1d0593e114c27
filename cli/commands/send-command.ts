import { rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { emptyStatus, finishIssue, type IssueStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { restoreWorkList } from '#core/issues/prepare-issue.ts';
import { resendUnknown } from '#core/issues/resend-unknown.ts';
import { type IssueDeps, previewIssue, sendIssue } from '#core/issues/send-issue.ts';
import type { CommandContext } from '../command-context.ts';
import { issueDeps } from '../issue-deps.ts';
import { acquireStateLock, StateLockedError } from '../local/state-lock.ts';
import { localIssuePath } from '../local-archive.ts';
import type { Output } from '../output.ts';
import { progressBar } from '../progress-bar.ts';
import { describeStatus } from './status-command.ts';

/** Another `newsletter send` is sending on this state folder. */
export class SendInProgressError extends Error {
  override name = 'SendInProgressError';
}

/** What `runSend` reports. */
export interface SendOutcome {
  status: IssueStatus;
  /** True when every message of the issue has its final outcome (or there was no issue). */
  done: boolean;
}

/** The folder of the lock that `newsletter send` holds while it sends. */
const SEND_LOCK_DIR = 'send.lock';

/** Milliseconds between looks at the send queue while an issue is sent. */
const POLL_MS = 250;

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
    .action(
      async (options: {
        dryRun?: boolean;
        json?: boolean;
        rate?: number;
        resendUnknown?: string;
      }) => {
        const out = context.output(options.json);
        if (options.dryRun) return dryRun(context, out);
        const outcome = await runSend(context, out, options);
        out.result(outcome.status);
        if (!outcome.done || outcome.status.failed > 0) process.exitCode = 1;
      },
    );
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
  return context.withServices(async () => {
    const lock = await sendLock(context.stateDir);
    try {
      const deps = await issueDeps(config, context.stateDir);
      let issue: Issue;
      if (options.resendUnknown) {
        const found = await deps.issues.get(options.resendUnknown);
        if (!found) throw new Error(`there is no issue ${options.resendUnknown}`);
        const queued = await resendUnknown(deps, found);
        out.info(`Queued ${queued} messages of unknown outcome again for issue ${found.issueId}.`);
        issue = found;
      } else {
        const started = await sendIssue(deps, { rate: options.rate });
        if (!started) {
          out.info('Nothing new to send: every stored article was in an earlier issue.');
          return { status: emptyStatus, done: true };
        }
        issue = started.issue;
        const verb = started.resumed ? 'Resuming' : 'Sending';
        out.info(
          `${verb} issue ${issue.issueId} (${started.articles} articles) at ${issue.rate ?? config.sendRate} messages/s.`,
        );
      }
      const window = context.targetsAws
        ? config.sendUnknownWindowSeconds
        : config.localSendUnknownWindowSeconds;
      const stallMs = Math.max(60, 3 * window) * 1000;
      const outcome = await waitUntilDone(deps, issue, stallMs);
      out.info(describeStatus(outcome.status, outcome.done));
      if (!outcome.done) {
        out.info(
          `No progress for ${stallMs / 1000} s: the issue is not finished. See ${context.targetsAws ? "the send-batch function's logs" : join(context.stateDir, 'handlers.log')}; run \`newsletter send\` again to resume, or \`newsletter send --resend-unknown ${issue.issueId}\` to send the unknown ones anyway.`,
        );
      }
      out.info(`Rendered issue: ${localIssuePath(context.stateDir, issue.issueId, 'html')}`);
      return outcome;
    } finally {
      await lock.release();
      await rmdir(join(context.stateDir, SEND_LOCK_DIR)).catch(() => {});
    }
  });
}

/**
 * Follows the issue until it is done. The send queue is only the work list: when it holds
 * nothing and the ledger says messages are not done (the queue lost them in a crash, or they
 * went to its dead-letter queue), they are enqueued again. Counting reads the issue's whole
 * ledger, so it happens when the queue is empty, and otherwise only every few seconds for the
 * progress bar. Gives up after `stallMs` without any change.
 */
async function waitUntilDone(deps: IssueDeps, issue: Issue, stallMs: number): Promise<SendOutcome> {
  const bar = progressBar('Sending');
  let last = '';
  let changedAt = Date.now();
  let countedAt = 0;
  let countEveryMs = 0;
  for (;;) {
    const idle = await deps.queue.isIdle();
    const now = Date.now();
    if (idle || now - countedAt >= countEveryMs) {
      const { status, done } = await finishIssue(deps, issue, deps.now());
      countedAt = Date.now();
      // Counting shares the machine with the senders: at most a tenth of the time.
      countEveryMs = Math.min(10_000, Math.max(1_000, (countedAt - now) * 10));
      bar.update(status.sent + status.failed, status.recipients);
      if (done) return { status, done };
      const seen = JSON.stringify(status);
      if (seen !== last) {
        last = seen;
        changedAt = now;
      } else if (now - changedAt > stallMs) {
        return { status, done: false };
      }
      if (idle) await restoreWorkList(deps, issue);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One `newsletter send` at a time per state folder (two could start two issues). */
async function sendLock(stateDir: string) {
  try {
    return await acquireStateLock(join(stateDir, SEND_LOCK_DIR));
  } catch (error) {
    if (!(error instanceof StateLockedError)) throw error;
    throw new SendInProgressError(
      `another newsletter send (process ${error.pid}) is sending on ${stateDir}; wait for it, or follow it with \`newsletter status\``,
    );
  }
}

async function dryRun(context: CommandContext, out: Output): Promise<void> {
  const config = await context.config();
  const preview = await context.withServices(async () => {
    const deps = await issueDeps(config, context.stateDir);
    const next = await previewIssue(deps);
    if (!next) return undefined;
    let active = 0;
    let suppressed = 0;
    let cursor: string | undefined;
    do {
      const page = await deps.subscriberPages.page(cursor, 1000);
      for (const subscriber of page.subscribers) {
        if (subscriber.status === 'active') active++;
        else if (subscriber.status !== 'pending') suppressed++;
      }
      cursor = page.cursor;
    } while (cursor);
    return { ...next, active, suppressed };
  });
  if (!preview) {
    out.info('Nothing new to send: every stored article was in an earlier issue.');
    out.result(emptyStatus);
    return;
  }
  const html = join(context.stateDir, 'issue.html');
  await writeFile(html, preview.html);
  await writeFile(join(context.stateDir, 'issue.txt'), preview.text);
  out.info(`Dry run, nothing sent. "${preview.issue.subject}"`);
  out.info(`${preview.articles.length} articles for ${preview.active} active subscribers.`);
  out.info(`Preview: ${html} (and issue.txt beside it)`);
  out.result({
    ...emptyStatus,
    articles: preview.articles.length,
    recipients: preview.active,
    queued: preview.active,
    suppressed: preview.suppressed,
  });
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('must be a number of messages per second above 0');
  }
  return n;
}
