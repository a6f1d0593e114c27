import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { previewIssue, type SendSummary, sendIssue } from '#core/send-issue.ts';
import type { CommandContext } from '../command-context.ts';
import { issueDeps } from '../issue-deps.ts';
import { localIssuePath } from '../local-archive.ts';
import type { Output } from '../output.ts';
import { progressBar } from '../progress-bar.ts';

/** `newsletter send` */
export function sendCommand(program: Command, context: CommandContext): void {
  program
    .command('send')
    .description('plan, render and send the next issue to every active subscriber')
    .option('--dry-run', 'write issue.html and issue.txt into the state folder, send nothing')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      const out = context.output(options.json);
      if (options.dryRun) return dryRun(context, out);
      const summary = await runSend(context, out);
      out.result(contractFields(summary));
      if (summary.failed > 0 || summary.notSent > 0) process.exitCode = 1;
    });
}

/** Sends the next issue and reports it for people; shared by `send` and the demo. */
export async function runSend(context: CommandContext, out: Output): Promise<SendSummary> {
  const config = await context.config();
  const summary = await context.withServices(async () => {
    const deps = await issueDeps(config, context.stateDir);
    return sendIssue(deps, progressBar('Sending').update);
  });
  if (!summary.issueId) {
    out.info('Nothing new to send: every stored article was in an earlier issue.');
    return summary;
  }
  const verb = summary.resumed ? 'Resumed' : 'Sent';
  out.info(
    `${verb} issue ${summary.issueId}: ${summary.articles} articles, ${summary.sent} of ${summary.recipients} recipients sent, ${summary.failed} failed.`,
  );
  if (summary.notSent > 0) {
    out.info(
      `${summary.notSent} messages were not accepted this time; run \`newsletter send\` again to finish the issue.`,
    );
  }
  out.info(`Rendered issue: ${localIssuePath(context.stateDir, summary.issueId, 'html')}`);
  return summary;
}

async function dryRun(context: CommandContext, out: Output): Promise<void> {
  const config = await context.config();
  const preview = await context.withServices(async () => {
    const deps = await issueDeps(config, context.stateDir);
    const next = await previewIssue(deps);
    const recipients = (await deps.subscribers.list()).filter((s) => s.status === 'active');
    return next && { ...next, recipients: recipients.length };
  });
  if (!preview) {
    out.info('Nothing new to send: every stored article was in an earlier issue.');
    out.result({ issueId: null, articles: 0, recipients: 0, sent: 0, failed: 0 });
    return;
  }
  const html = join(context.stateDir, 'issue.html');
  await writeFile(html, preview.html);
  await writeFile(join(context.stateDir, 'issue.txt'), preview.text);
  out.info(`Dry run, nothing sent. "${preview.issue.subject}"`);
  out.info(`${preview.articles.length} articles for ${preview.recipients} active subscribers.`);
  out.info(`Preview: ${html} (and issue.txt beside it)`);
  out.result({
    issueId: null,
    articles: preview.articles.length,
    recipients: preview.recipients,
    sent: 0,
    failed: 0,
  });
}

/** The fields `send --json` promises scripts. */
function contractFields(summary: SendSummary) {
  const { issueId, articles, recipients, sent, failed } = summary;
  return { issueId, articles, recipients, sent, failed };
}
