import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plural } from '#core/common/plural.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { ImageWeight } from '#core/issues/ports.ts';
import { type IssueDeps, previewIssue } from '#core/issues/send-issue.ts';
import type { CommandContext } from './command-context.ts';
import { withIssueDeps } from './issue-deps.ts';
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
 * the state folder and reports whom it would go to and what its images weigh, sending
 * nothing.
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
  return withIssueDeps(context, async (deps) => {
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
  const images = preview.issue.images ?? {
    count: 0,
    measured: 0,
    bytes: 0,
    unmeasured: 0,
    missing: 0,
  };
  out.info(`Dry run, nothing sent. "${preview.issue.subject}"`);
  out.info(
    `${plural(preview.articles.length, 'article')} for ${plural(preview.active, 'active subscriber')}.`,
  );
  for (const line of describeImageWeight(images)) out.info(line);
  out.info(`Preview: ${html} (and issue.txt beside it)`);
  out.result({
    ...emptyStatus,
    articles: preview.articles.length,
    recipients: preview.active,
    queued: preview.active,
    suppressed: preview.suppressed,
    images,
  });
}

/**
 * What the issue's images weigh, for people: what a reader downloads on opening it (the
 * HTML budget does not count it), and a warning for photos the media store lacks.
 */
export function describeImageWeight(images: ImageWeight): string[] {
  if (images.count === 0) return ['No images.'];
  const lines = [
    `${plural(images.count, 'image')}: ${formatBytes(images.bytes)} to load` +
      (images.measured < images.count ? ` for the ${images.measured} stored` : '') +
      (images.unmeasured > 0 ? `, ${images.unmeasured} hosted elsewhere (not measured)` : '') +
      '.',
  ];
  if (images.missing > 0) {
    lines.push(
      `Warning: ${plural(images.missing, 'image')} under the media address ${images.missing === 1 ? 'is' : 'are'} not stored and will show broken: import ${images.missing === 1 ? 'its article' : 'their articles'} again.`,
    );
  }
  return lines;
}

/** Bytes as people read them: `830 B`, `412 kB`, `1.3 MB` (decimal units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
