import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { articleIdSchema } from '#core/articles/article.ts';
import { importArticles, type ParsedArticle } from '#core/articles/import-articles.ts';
import { ArticleFileError, parseArticleFile } from '#core/articles/parse-article-file.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';

/** `newsletter import FILE…` */
export function importCommand(program: Command, context: CommandContext): void {
  program
    .command('import')
    .description(
      'validate and store articles from slideshow text files or .json files (one article or an array)',
    )
    .argument('<files...>', 'slideshow text files or .json files')
    .option('--dry-run', 'validate and print, store nothing')
    .option('--published-at <iso>', 'publication time of a single text file (ISO 8601)', isoDate)
    .option('--id <id>', 'id of a single text file (replaces the article with that id)', articleId)
    .option('--json', 'print the parsed articles as JSON')
    .action(async (files: string[], options: ImportOptions, command: Command) => {
      const single = files.length === 1 && !files[0]?.endsWith('.json');
      if ((options.id || options.publishedAt) && !single) {
        command.error('--id and --published-at apply to a single text file', { exitCode: 2 });
      }
      const out = context.output(options.json);
      const parsed = await parseFiles(files, options);
      const articles = await context.withServices(() =>
        importArticles(stores().articles, parsed, { dryRun: options.dryRun }),
      );
      out.result(articles);
      const verb = options.dryRun ? 'Checked (dry run, nothing stored)' : 'Imported';
      out.info(`${verb}: ${articles.length} article${articles.length === 1 ? '' : 's'}`);
      for (const article of articles) {
        out.info(`  ${article.id}  ${article.slides.length} slides  ${article.publishedAt}`);
      }
    });
}

/** One or more files were refused; nothing was imported. */
export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError';
}

interface ImportOptions {
  dryRun?: boolean;
  publishedAt?: string;
  id?: string;
  json?: boolean;
}

/** Reads and parses every file before anything is stored; reports every bad file. */
async function parseFiles(files: string[], options: ImportOptions): Promise<ParsedArticle[]> {
  const now = new Date();
  const problems: string[] = [];
  const parsed: ParsedArticle[] = [];
  for (const file of files) {
    try {
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new ArticleFileError(file, `cannot be read (${error.code ?? error.message})`);
      });
      parsed.push(
        ...parseArticleFile(
          { name: file, bytes },
          { now, publishedAt: options.publishedAt, id: options.id },
        ),
      );
    } catch (error) {
      if (!(error instanceof ArticleFileError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) {
    throw new ImportRefusedError(
      `${problems.join('\n')}\nNothing was imported (${problems.length} of ${files.length} file${files.length === 1 ? '' : 's'} refused).`,
    );
  }
  return parsed;
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('must be an ISO 8601 date and time, e.g. 2026-11-26T09:00:00Z');
  }
  return new Date(value).toISOString();
}

function articleId(value: string): string {
  const result = articleIdSchema.safeParse(value);
  if (!result.success) throw new InvalidArgumentError(result.error.issues[0]?.message ?? 'invalid');
  return value;
}
