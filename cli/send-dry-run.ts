import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyStatus } from '#core/issues/issue-status.ts';
import { type IssueDeps, previewIssue } from '#core/issues/send-issue.ts';
import type { CommandContext } from './command-context.ts';
import { issueDeps } from './issue-deps.ts';
import type { Output } from './output.ts';

/** The next issue as `previewIssue` plans it, with the subscribers it would go to. */
type Preview = NonNullable<Awaited<ReturnType<typeof previewIssue>>> & Audience;

/** Subscribers an issue would go to, and those it would skip. */
interface Audience {
  active: number;
  suppressed: number;
}

/**
 * `newsletter send --dry-run`: renders the next issue into `issue.html` and `issue.txt` in
 * the state folder and reports whom it would go to, sending nothing.
 */
export async function sendDryRun(context: CommandContext, out: Output): Promise<void> {
  const preview = await previewNextIssue(context);
  if (!preview) {
    out.info('Nothing new to send: every stored article was in an earlier issue.');
    out.result(emptyStatus);
    return;
  }
  const html = await writePreview(context.stateDir, preview);
  reportDryRun(out, preview, html);
}

async function previewNextIssue(context: CommandContext): Promise<Preview | undefined> {
  const config = await context.config();
  return context.withServices(async () => {
    const deps = await issueDeps(config, context.stateDir);
    const next = await previewIssue(deps);
    if (!next) return undefined;
    return { ...next, ...(await countAudience(deps.subscriberPages)) };
  });
}

/** Counts the subscribers an issue goes to and those it skips; pending ones are neither. */
async function countAudience(pages: IssueDeps['subscriberPages']): Promise<Audience> {
  let active = 0;
  let suppressed = 0;
  let cursor: string | undefined;
  do {
    const page = await pages.page(cursor, 1000);
    for (const subscriber of page.subscribers) {
      if (subscriber.status === 'active') active++;
      else if (subscriber.status !== 'pending') suppressed++;
    }
    cursor = page.cursor;
  } while (cursor);
  return { active, suppressed };
}

/** @returns the path of the HTML preview */
async function writePreview(stateDir: string, preview: Preview): Promise<string> {
  const html = join(stateDir, 'issue.html');
  await writeFile(html, preview.html);
  await writeFile(join(stateDir, 'issue.txt'), preview.text);
  return html;
}

function reportDryRun(out: Output, preview: Preview, html: string): void {
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
