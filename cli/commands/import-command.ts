import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { FileImageSource } from '#adapters/file-image-source.ts';
import { HttpsImageFetcher } from '#adapters/https-image-fetcher.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { articleIdSchema } from '#core/articles/article.ts';
import type { ParsedArticle } from '#core/articles/import-articles.ts';
import {
  ArticleImagesError,
  type ImportedImage,
  type ImportWithImagesOptions,
  type ImportWithImagesResult,
  importArticlesWithImages,
} from '#core/articles/import-articles-with-images.ts';
import { ArticleFileError, parseArticleFile } from '#core/articles/parse-article-file.ts';
import type { Config } from '#core/common/config.ts';
import { plural } from '#core/common/plural.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';
import type { Output } from '../output.ts';
import { remoteImport } from '../remote/remote-import.ts';

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
    .option(
      '--fetch-images',
      'download the https: photos the articles name and store them like local files',
    )
    .option('--json', 'print the articles and what became of each image as JSON')
    .action(async (files: string[], options: ImportOptions, command: Command) => {
      const single = files.length === 1 && !files[0]?.endsWith('.json');
      if ((options.id || options.publishedAt) && !single) {
        command.error('--id and --published-at apply to a single text file', { exitCode: 2 });
      }
      const out = context.output(options.json);
      const parsed = await parseFiles(files, options);
      const result = context.targetsAws
        ? await refusingBadImages(() =>
            remoteImport(context.editorApi(), parsed, process.cwd(), options),
          )
        : await importLocally(context, parsed, options);
      out.result(result);
      reportImport(out, result, options);
    });
}

/** Imports parsed articles with their photos on this state folder's local services. */
async function importLocally(
  context: CommandContext,
  parsed: readonly ParsedArticle[],
  options: ImportOptions,
): Promise<ImportWithImagesResult> {
  const config = await context.config();
  return context.withServices(() => importWithImages(parsed, config, process.cwd(), options));
}

/**
 * Imports parsed articles with their photos through the adapters of this process's
 * environment (the local services). Photos are processed here, where the import runs, so
 * that no Lambda needs sharp.
 * @param baseDir the folder that the article files' names are relative to
 * @throws {ImportRefusedError} naming every image that cannot be used; nothing is stored
 */
export async function importWithImages(
  parsed: readonly ParsedArticle[],
  config: Config,
  baseDir: string,
  options: ImportWithImagesOptions,
): Promise<ImportWithImagesResult> {
  return refusingBadImages(() =>
    importArticlesWithImages(
      {
        articles: stores().articles,
        media: mediaStoreFromEnv(),
        processor: new SharpImageProcessor(),
        files: new FileImageSource(baseDir),
        fetcher: new HttpsImageFetcher(),
        config,
      },
      parsed,
      options,
    ),
  );
}

/**
 * Runs an import, its refusal of images (`ArticleImagesError`) told as the command tells it,
 * locally or on a deployed stack alike.
 * @throws {ImportRefusedError} naming every image that cannot be used
 */
async function refusingBadImages(
  work: () => Promise<ImportWithImagesResult>,
): Promise<ImportWithImagesResult> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ArticleImagesError)) throw error;
    const count = error.errors.length;
    throw new ImportRefusedError(
      `${error.message}\nNothing was imported (${count} image${count === 1 ? '' : 's'} refused).`,
      { cause: error },
    );
  }
}

/** Says what was imported, and where each photo went (JSON has it all in `images`). */
function reportImport(
  out: Output,
  { articles, images }: ImportWithImagesResult,
  options: ImportOptions,
): void {
  const verb = options.dryRun ? 'Checked (dry run, nothing stored)' : 'Imported';
  out.info(`${verb}: ${articles.length} article${articles.length === 1 ? '' : 's'}`);
  for (const article of articles) {
    out.info(`  ${article.id}  ${plural(article.slides.length, 'slide')}  ${article.publishedAt}`);
  }
  if (images.length === 0) return;
  const stored = images.filter((image) => image.key !== undefined);
  const fresh = new Set(stored.filter((image) => !image.alreadyStored).map((image) => image.key));
  const bytes = [...new Map(stored.map((image) => [image.key, image.bytes ?? 0])).values()];
  out.info(
    `Photos: ${images.length}; ${fresh.size} new stored image${fresh.size === 1 ? '' : 's'}` +
      ` (${kilobytes(bytes.reduce((sum, each) => sum + each, 0))} in all)` +
      (options.dryRun ? ', none stored (dry run)' : ''),
  );
  for (const image of images) out.info(`  ${imageLine(image)}`);
}

function imageLine(image: ImportedImage): string {
  const at =
    image.line !== undefined ? `${image.file}:${image.line}` : `${image.file}: ${image.path}`;
  if (image.key === undefined) {
    return image.stored
      ? `${at}  ${image.original}  (already a stored photo)`
      : `${at}  ${image.original}  left remote (--fetch-images stores a copy)`;
  }
  const size = `${image.format?.toUpperCase()} ${image.width} × ${image.height}, ${kilobytes(image.bytes ?? 0)}`;
  return `${at}  ${image.original} -> ${image.url}  (${size}${image.alreadyStored ? ', already stored' : ''})`;
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1000).toLocaleString('en')} KB`;
}

/** One or more files were refused; nothing was imported. */
export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError';
}

interface ImportOptions {
  dryRun?: boolean;
  fetchImages?: boolean;
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
