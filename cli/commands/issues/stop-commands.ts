import type { Command } from 'commander';
import { plural } from '#core/common/plural.ts';
import { approveIssue } from '#core/issues/approve-issue.ts';
import { cancelIssue } from '#core/issues/cancel-issue.ts';
import { issueReport } from '#core/issues/issue-report.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import { resumeIssue } from '#core/issues/resume-issue.ts';
import { unscheduleIssue } from '#core/issues/schedule-issue.ts';
import { cliActor } from '../../cli-actor.ts';
import type { CommandContext } from '../../command-context.ts';
import { followExitCode, followSend, stallTimeoutMs } from '../../follow-send.ts';
import { withIssueDeps } from '../../issue-deps.ts';
import { reportOf } from '../../issue-report-of.ts';
import { progressBar } from '../../progress-bar.ts';
import { followRemoteSend } from '../../remote/follow-remote-send.ts';
import { issueAction } from '../../remote/issue-action.ts';
import { messagesPerSecond } from './send-commands.ts';

/** `issues approve ID`, `issues unschedule ID`, `issues pause ID`, `issues resume ID`, `issues cancel ID`. */
export function stopCommands(issues: Command, context: CommandContext): void {
  issues
    .command('approve')
    .description(
      'approve this version of a draft as the one the schedule may send (with ' +
        'requireApproval, the only one); a new version is not approved',
    )
    .argument('<issue>', 'the draft issue id')
    .option('--json', 'print the issue as `issues show --json` does')
    .action(async (issueId: string, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const report = context.targetsAws
        ? await issueAction(context, issueId, 'approve')
        : await withIssueDeps(context, async (deps) =>
            reportOf(context, await approveIssue(deps, issueId, cliActor())),
          );
      out.info(`Approved issue ${issueId}, version ${report.version}: the schedule may send it.`);
      out.result(report);
    });

  issues
    .command('unschedule')
    .description('take a scheduled issue back to draft: it no longer holds its articles')
    .argument('<issue>', 'the scheduled issue id')
    .option('--json', 'print the issue as `issues show --json` does')
    .action(async (issueId: string, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const report = context.targetsAws
        ? await issueAction(context, issueId, 'unschedule')
        : await withIssueDeps(context, async (deps) =>
            reportOf(context, await unscheduleIssue(deps, issueId, cliActor())),
          );
      out.info(`Issue ${issueId} is a draft again.`);
      out.result(report);
    });

  issues
    .command('pause')
    .description(
      'pause a sending issue; returns once no sender can send more of it (calls to SES ' +
        'already started finish)',
    )
    .argument('<issue>', 'the issue id')
    .option('--json', 'print the issue as `issues show --json` does')
    .action(async (issueId: string, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const { inFlight, ...report } = context.targetsAws
        ? await issueAction(context, issueId, 'pause')
        : await withIssueDeps(context, async (deps) => {
            const { issue, inFlight } = await pauseIssue(deps, issueId, cliActor());
            return { ...(await reportOf(context, issue)), inFlight };
          });
      out.info(
        `Paused issue ${issueId}: no sender takes more of it; at most ${inFlight} ${inFlight === 1 ? 'call' : 'calls'} to SES still finishing. Resume it with \`newsletter issues resume ${issueId}\`.`,
      );
      out.result(report);
    });

  issues
    .command('resume')
    .description('resume a paused issue and follow it (Ctrl-C pauses it again)')
    .argument('<issue>', 'the paused issue id')
    .option('--rate <n>', 'messages per second from now on', messagesPerSecond)
    .option('--json', 'print the issue as `issues show --json` does once it ends')
    .action(async (issueId: string, options: { rate?: number; json?: boolean }) => {
      const out = context.output(options.json);
      if (context.targetsAws) {
        await issueAction(context, issueId, 'resume', options.rate);
        out.info(`Resuming issue ${issueId}.`);
        const outcome = await followRemoteSend(
          context,
          out,
          issueId,
          stallTimeoutMs(context, await context.config()),
        );
        out.result(outcome.report);
        process.exitCode = followExitCode(outcome);
        return;
      }
      await withIssueDeps(context, async (deps) => {
        const { issue } = await resumeIssue(deps, issueId, cliActor(), {
          ...(options.rate === undefined ? {} : { rate: options.rate }),
        });
        out.info(`Resuming issue ${issueId}.`);
        const outcome = await followSend(context, out, deps, issue);
        out.result(issueReport((await deps.issues.get(issueId)) ?? issue, outcome.status));
        process.exitCode = followExitCode(outcome);
      });
    });

  issues
    .command('cancel')
    .description(
      'cancel a draft, or an issue sending or paused: nobody more is mailed; its articles ' +
        'become candidates again if nobody was',
    )
    .argument('<issue>', 'the issue id')
    .option('--json', 'print the issue as `issues show --json` does')
    .action(async (issueId: string, options: { json?: boolean }) => {
      const out = context.output(options.json);
      if (context.targetsAws) {
        const { inFlight, ...report } = await issueAction(context, issueId, 'cancel');
        out.info(
          `Cancelled issue ${issueId}: nobody more is mailed` +
            (inFlight > 0
              ? `; at most ${inFlight} ${inFlight === 1 ? 'call' : 'calls'} to SES still finishing`
              : '') +
            '. The stack marks its queued recipients cancelled.',
        );
        out.result(report);
        return;
      }
      const report = await withIssueDeps(context, async (deps) => {
        const counts = await deps.ledger.counts(issueId);
        // Held back by a canary or not, none of them is sent now.
        const total = counts.queued + counts.held;
        const bar = progressBar('Marking cancelled');
        const { issue } = await cancelIssue(deps, issueId, cliActor(), {
          onStopped: ({ inFlight }) =>
            out.info(
              `Cancelled issue ${issueId}: nobody more is mailed` +
                (inFlight > 0
                  ? `; at most ${inFlight} ${inFlight === 1 ? 'call' : 'calls'} to SES still finishing`
                  : '') +
                `. Marking ${plural(total, 'queued recipient')} cancelled…`,
            ),
          onMarked: (done) => bar.update(Math.min(done, total), total),
        });
        bar.stop();
        if (issue.mailedNobody) out.info('Nobody was mailed: its articles are candidates again.');
        return reportOf(context, issue);
      });
      out.result(report);
    });
}
