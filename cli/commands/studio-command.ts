import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { LocalOnlyError } from '../target.ts';

/** The studio's port unless `--port` says another (serve's default is 8787). */
export const DEFAULT_STUDIO_PORT = 8788;

/** The project's digest templates, which the studio watches unless `--templates` says. */
const PROJECT_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** `newsletter studio [--port N] [--open] [--articles DIR] [--templates DIR]` */
export function studioCommand(program: Command, context: CommandContext): void {
  program
    .command('studio')
    .description(
      'a local web app on 127.0.0.1 to preview issues with the production renderer and draft, ' +
        'test, schedule, send, pause, resume and cancel them through the editor API, on the ' +
        "local services (shared with every other command on this state folder); the page's " +
        'preview follows saved templates, newsletter.config.json and, with --articles, article ' +
        'files. Changes need the token the page carries; requests naming another host or ' +
        'coming from another site are refused. Prints "Studio: http://127.0.0.1:PORT/"; ' +
        'Ctrl-C stops it. With NEWSLETTER_TARGET=aws, the same page works on the deployed ' +
        "stack's editor API, signed with your AWS credentials, without live reload (docs/studio.md)",
    )
    .option(
      '--port <n>',
      `port on 127.0.0.1 (0: a free one, printed) (default: ${DEFAULT_STUDIO_PORT})`,
      port,
    )
    .option('--open', 'open the studio in the default browser')
    .option(
      '--articles <dir>',
      'import a .txt or .json article file of this folder again each time it is saved ' +
        '(its photos are read relative to it; uploads in the page read theirs from here too)',
      folder,
    )
    .option(
      '--templates <dir>',
      "the digest's template folder to render with and watch (digest.mjml.hbs, " +
        "digest.txt.hbs, partials/) (default: the project's templates/)",
      folder,
    )
    .action(
      async (options: { port?: number; open?: boolean; articles?: string; templates?: string }) => {
        if (context.targetsAws && (options.articles || options.templates)) {
          throw new LocalOnlyError(
            'newsletter studio --articles and --templates work locally only: a deployed stack renders with the templates it was deployed with',
          );
        }
        const { runStudio } = await import('../studio/run-studio.ts');
        await runStudio(context, {
          port: options.port ?? DEFAULT_STUDIO_PORT,
          ...(options.open ? { open: true } : {}),
          ...(options.articles === undefined ? {} : { articles: options.articles }),
          templates: options.templates ?? PROJECT_TEMPLATES,
        });
      },
    );
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) {
    throw new InvalidArgumentError('must be a port number from 0 (a free one) to 65535');
  }
  return n;
}

/** An existing folder, as an absolute path. */
function folder(value: string): string {
  const path = resolve(value);
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw new InvalidArgumentError(`no folder ${path}`);
  }
  if (!isFolder) throw new InvalidArgumentError(`${path} is not a folder`);
  return path;
}
