import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ulid } from 'ulid';
import type { ParsedArticle } from '#core/articles/import-articles.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import type { Config } from '#core/common/config.ts';
import { plural } from '#core/common/plural.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';
import { importWithImages } from './import-command.ts';
import { runSend } from './send-command.ts';

const repoDir = fileURLToPath(new URL('../../', import.meta.url));
const samplesDir = join(repoDir, 'samples/articles/');

/** Sample readers for the demo; example.com never receives mail. */
export const demoSubscribers = ['ada@example.com', 'grace@example.com', 'linus@example.com'];

/** `newsletter demo` (what `npm start` runs) */
export function demoCommand(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description(
      'import the sample articles, add sample subscribers and send one issue on the local services',
    )
    .action(async () => {
      context.requireLocal('demo', 'it would mail the sample subscribers through the real SES');
      const out = context.output();
      const now = new Date();
      const parsed = await readSampleArticles(now);
      const config = await context.config();
      // One run of the services for the whole demo: the SDK clients keep their endpoints.
      const summary = await context.withServices(async () => {
        const photos = await storeSamples(parsed, config, now);
        out.info(
          `Imported ${plural(parsed.length, 'sample article')} with ${plural(photos, 'photo')} and ${plural(demoSubscribers.length, 'sample subscriber')}.`,
        );
        return runSend(context, out);
      });
      out.info(`Outbox (one .eml per message): ${join(context.stateDir, 'outbox')}`);
      if (!summary.done || summary.status.failed > 0) process.exitCode = 1;
    });
}

/** The sample articles of `samples/articles/`, in file name order. */
async function readSampleArticles(now: Date): Promise<ParsedArticle[]> {
  const files = (await readdir(samplesDir)).filter((name) => name.endsWith('.txt')).sort();
  const parsed: ParsedArticle[] = [];
  for (const name of files) {
    const bytes = await readFile(join(samplesDir, name));
    parsed.push(...parseArticleFile({ name: `samples/articles/${name}`, bytes }, { now }));
  }
  return parsed;
}

/**
 * Stores the sample articles, their photos processed and stored as `import` does, and adds
 * the sample subscribers, active. Returns the number of photos.
 */
async function storeSamples(parsed: ParsedArticle[], config: Config, now: Date): Promise<number> {
  // The samples' names are relative to the repository, wherever the demo is run from.
  const { images } = await importWithImages(parsed, config, repoDir, {});
  const { subscribers } = stores();
  for (const email of demoSubscribers) {
    await subscribers.add({
      id: ulid(),
      email,
      status: 'active',
      source: 'cli',
      createdAt: now.toISOString(),
    });
  }
  return images.length;
}
