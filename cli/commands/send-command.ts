import { type Command, InvalidArgumentError } from 'commander';
import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { Config } from '#core/common/config.ts';
import { plural } from '#core/common/plural.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { resendUnknown } from '#core/issues/resend-unknown.ts';
import { type IssueDeps, sendIssue } from '#core/issues/send-issue.ts';
import { cliActor } from '../cli-actor.ts';
import type { CommandContext } from '../command-context.ts';
import type { SendOutcome } from '../follow-issue.ts';
import { followExitCode, followSend, stallTimeoutMs } from '../follow-send.ts';
import { withIssueDeps } from '../issue-deps.ts';
import type { Output } from '../output.ts';
import { EditorApiError } from '../remote/editor-api-client.ts';
import { followRemoteSend } from '../remote/follow-remote-send.ts';
import { sendDryRun } from '../send-dry-run.ts';
import { LocalOnlyError } from '../target.ts';

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
      'send the next issue to every active subscriber now, or follow the one sending, until ' +
        'every message has its outcome (Ctrl-C pauses it)',
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
      if (options.dryRun) {
        context.requireLocal('send --dry-run', '`newsletter issues draft` shows the next issue');
        return sendDryRun(context, out);
      }
      const outcome = await runSend(context, out, options);
      out.result(outcome.status);
      process.exitCode = followExitCode(outcome);
    });
}

/**
 * Sends the next issue (or carries on the one sending, or forces an issue's unknown sends out
 * again) and follows it, with a progress bar on a terminal, until every message has its
 * outcome or someone pauses or cancels it (`followSend`). Shared by `send` and the demo.
 */
export async function runSend(
  context: CommandContext,
  out: Output,
  options: { rate?: number; resendUnknown?: string } = {},
): Promise<SendOutcome> {
  const config = await context.config();
  if (context.targetsAws) return remoteSend(context, out, config, options);
  return withIssueDeps(context, async (deps) => {
    const issue = options.resendUnknown
      ? await queueUnknownAgain(deps, out, options.resendUnknown)
      : await startNextIssue(deps, out, config, options.rate);
    if (!issue) return { status: emptyStatus, done: true };
    return followSend(context, out, deps, issue);
  });
}

/** `--resend-unknown`: puts the issue's messages of unknown outcome on the send queue again. */
async function queueUnknownAgain(deps: IssueDeps, out: Output, issueId: string): Promise<Issue> {
  const issue = await deps.issues.get(issueId);
  if (!issue) throw new Error(`there is no issue ${issueId}`);
  // The senders drop every page of an issue that is not sending: records queued again would
  // stay queued.
  if (issue.state !== 'sending') {
    throw new Error(
      `issue ${issueId} is ${issue.state}: only a sending issue's messages are sent again` +
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

/** Starts the next issue or carries on the one sending; undefined when nothing is new. */
async function startNextIssue(
  deps: IssueDeps,
  out: Output,
  config: Config,
  rate: number | undefined,
): Promise<Issue | undefined> {
  const started = await sendIssue(deps, cliActor(), { rate });
  if (!started) {
    out.info('Nothing new to send: every stored article is in an issue already.');
    return undefined;
  }
  const { issue } = started;
  const verb = started.resumed ? 'Resuming' : 'Sending';
  out.info(
    `${verb} issue ${issue.issueId} (${plural(issue.articleIds.length, 'article')}) at ${issue.rate ?? config.sendRate} messages/s.`,
  );
  return issue;
}

/**
 * `send` on a deployed stack, through its editor API: follows the issue sending, else drafts
 * the next one and sends it (`POST /issues`, then `POST /issues/:id/send`), as `sendIssue`
 * does locally.
 */
async function remoteSend(
  context: CommandContext,
  out: Output,
  config: Config,
  options: { rate?: number; resendUnknown?: string },
): Promise<SendOutcome> {
  if (options.resendUnknown) {
    throw new LocalOnlyError(
      "--resend-unknown works locally only: on a deployed stack, redrive the SES events dead-letter queue to settle an issue's unknown sends",
    );
  }
  const api = context.editorApi();
  const sending = (await api.json<ListedIssue[]>('GET', '/issues')).find(
    (issue) => issue.state === 'sending',
  );
  let issue = sending;
  if (!issue) {
    issue = await api.json<ListedIssue>('POST', '/issues', { json: {} }).catch((error) => {
      if (error instanceof EditorApiError && error.code === 'nothing-new') return undefined;
      throw error;
    });
    if (!issue) {
      out.info('Nothing new to send: every stored article is in an issue already.');
      return { status: emptyStatus, done: true };
    }
    const json = options.rate === undefined ? {} : { rate: options.rate };
    await api.json('POST', `/issues/${issue.issueId}/send`, { json });
  }
  out.info(
    `${sending ? 'Resuming' : 'Sending'} issue ${issue.issueId} (${plural(issue.articleIds.length, 'article')}) at ${options.rate ?? config.sendRate} messages/s.`,
  );
  return followRemoteSend(context, out, issue.issueId, stallTimeoutMs(context, config));
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('must be a number of messages per second above 0');
  }
  return n;
}
