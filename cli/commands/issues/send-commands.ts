import { type Command, InvalidArgumentError } from 'commander';
import { ulid } from 'ulid';
import { sendingAdapters } from '#adapters/sending-adapters.ts';
import { subscriptionStores } from '#adapters/subscription-stores.ts';
import { plural } from '#core/common/plural.ts';
import { type IssueReport, issueReport } from '#core/issues/issue-report.ts';
import { scheduleIssue } from '#core/issues/schedule-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import { MAX_TEST_ADDRESSES, type TestSendOutcome, testSendIssue } from '#core/issues/test-send.ts';
import { describeBothZones } from '#core/schedule/format-both-zones.ts';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import { cliActor } from '../../cli-actor.ts';
import type { CommandContext } from '../../command-context.ts';
import { followExitCode, followSend, stallTimeoutMs } from '../../follow-send.ts';
import { withIssueDeps } from '../../issue-deps.ts';
import { reportOf } from '../../issue-report-of.ts';
import { followRemoteSend } from '../../remote/follow-remote-send.ts';

/** `issues test ID --to ADDR…` and `issues send ID`. */
export function sendCommands(issues: Command, context: CommandContext): void {
  issues
    .command('test')
    .description(
      `mail a draft, exactly as rendered, to up to ${MAX_TEST_ADDRESSES} addresses (subscribers or ` +
        'not), its subject beginning [TEST]; its unsubscribe link changes nothing',
    )
    .argument('<issue>', 'the draft issue id')
    .requiredOption('--to <addresses...>', 'where to send the test')
    .option('--json', 'print { issueId, version, sent, recipients: [{ address, status }] }')
    .action(async (issueId: string, options: { to: string[]; json?: boolean }) => {
      const out = context.output(options.json);
      const config = await context.config();
      const outcome = context.targetsAws
        ? await context
            .editorApi()
            .json<TestSendOutcome>('POST', `/issues/${encodeURIComponent(issueId)}/test`, {
              json: { to: options.to },
            })
        : await context.withServices(async () => {
            const { subscribers, suppressions } = subscriptionStores();
            const adapters = sendingAdapters(config.configurationSet);
            return testSendIssue(
              {
                config,
                issues: adapters.issues,
                renderedIssues: adapters.renderedIssues,
                subscribers,
                suppressions,
                mailer: adapters.mailer,
                hashKey: await context.hashKey(),
                linkKeys: context.linkKeys(),
                newId: () => ulid(),
              },
              issueId,
              options.to,
              { actor: cliActor(), at: new Date() },
            );
          });
      for (const recipient of outcome.recipients) {
        out.info(
          recipient.status === 'sent'
            ? `  ${recipient.address}: sent`
            : `  ${recipient.address}: ${recipient.status} (${recipient.error})`,
        );
      }
      out.info(
        `Test of issue ${issueId}, version ${outcome.version}: ${outcome.sent} of ${plural(outcome.recipients.length, 'message')} sent.` +
          (outcome.unrecorded ? ` Not in its timeline: ${outcome.unrecorded}` : ''),
      );
      out.result(outcome);
      if (outcome.sent < outcome.recipients.length) process.exitCode = 1;
    });

  issues
    .command('send')
    .description(
      'send a draft (or a scheduled issue) now, exactly as rendered, and follow it until ' +
        'every message has its outcome (Ctrl-C pauses it); with --at, schedule it instead',
    )
    .argument('<issue>', 'the draft issue id')
    .option('--rate <n>', 'messages per second (default: SES quota)', messagesPerSecond)
    .option(
      '--at <time>',
      'schedule it for TIME (ISO 8601, read in scheduleTimeZone unless it has an offset)',
    )
    .option('--json', 'print the issue as `issues show --json` does once it ends')
    .action(async (issueId: string, options: { rate?: number; at?: string; json?: boolean }) => {
      const out = context.output(options.json);
      const config = await context.config();
      if (context.targetsAws) {
        const path = `/issues/${encodeURIComponent(issueId)}/send`;
        const json = {
          ...(options.at === undefined ? {} : { at: options.at }),
          ...(options.rate === undefined ? {} : { rate: options.rate }),
        };
        const report = await context.editorApi().json<IssueReport>('POST', path, { json });
        if (report.state === 'scheduled' && report.scheduledAt) {
          const at = new Date(report.scheduledAt);
          out.info(
            `Scheduled issue ${issueId}, version ${report.version}, for ${describeBothZones(at, config.scheduleTimeZone)}.`,
          );
          out.result(report);
          return;
        }
        out.info(
          `Sending issue ${issueId}, version ${report.version} (${plural(report.articleIds.length, 'article')}).`,
        );
        const outcome = await followRemoteSend(
          context,
          out,
          issueId,
          stallTimeoutMs(context, config),
        );
        out.result(outcome.report);
        process.exitCode = followExitCode(outcome);
        return;
      }
      if (options.at !== undefined) {
        const at = parseScheduleTime(options.at, config.scheduleTimeZone);
        const report = await withIssueDeps(context, async (deps) => {
          const issue = await scheduleIssue(deps, issueId, at, cliActor());
          out.info(
            `Scheduled issue ${issueId}, version ${issue.version}, for ${describeBothZones(at, config.scheduleTimeZone)}.`,
          );
          return reportOf(context, issue);
        });
        out.result(report);
        return;
      }
      await withIssueDeps(context, async (deps) => {
        const { issue } = await startIssue(deps, issueId, cliActor(), {
          ...(options.rate === undefined ? {} : { rate: options.rate }),
        });
        out.info(
          `Sending issue ${issue.issueId}, version ${issue.version} (${plural(issue.articleIds.length, 'article')}) at ${issue.rate} messages/s.`,
        );
        const outcome = await followSend(context, out, deps, issue);
        const final = (await deps.issues.get(issueId)) ?? issue;
        out.result(issueReport(final, outcome.status));
        process.exitCode = followExitCode(outcome);
      });
    });
}

/** `--rate`: messages per second above 0. */
export function messagesPerSecond(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('must be a number of messages per second above 0');
  }
  return n;
}
