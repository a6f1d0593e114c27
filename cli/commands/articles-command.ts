import type { Command } from 'commander';
import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { Article } from '#core/articles/article.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';

/** `newsletter articles list` */
export function articlesCommand(program: Command, context: CommandContext): void {
  const articles = program.command('articles').description('the stored articles');
  articles
    .command('list')
    .description('list the stored articles, newest first')
    .option('--json', 'print the articles as JSON')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const [stored, issues] = await (context.targetsAws
        ? listedThrough(context)
        : context.withServices(async () => {
            const { articles, issues } = stores();
            return Promise.all([articles.list(), issues.list()]);
          }));
      out.result(stored);
      const carried = new Set(issues.flatMap((issue) => issue.articleIds));
      if (stored.length === 0)
        out.info('No articles stored yet: add some with `newsletter import`.');
      for (const article of stored) {
        const state = carried.has(article.id) ? 'sent' : 'new';
        out.info(
          `${article.publishedAt}  ${state.padEnd(4)}  ${article.id}\n    ${article.headline}`,
        );
      }
    });
}

/** The stored articles and the issues, from a deployed stack's editor API. */
function listedThrough(context: CommandContext): Promise<[Article[], ListedIssue[]]> {
  const api = context.editorApi();
  return Promise.all([
    api.json<Article[]>('GET', '/articles'),
    api.json<ListedIssue[]>('GET', '/issues'),
  ]);
}
