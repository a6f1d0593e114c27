import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PageTemplates } from '#core/rendering/render-page.ts';
import { TemplateError } from '#core/rendering/template-error.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';

/**
 * Reads a template folder: `digest.mjml.hbs`, `digest.txt.hbs` and `partials/*.hbs` (each
 * registered under its file name without `.hbs`; the folder may be absent).
 * @param dir the folder, as a file URL or a path; default: this `templates/` folder (in a
 *   Lambda bundle: the bundle's folder, into which the stack copies `templates/`)
 */
export async function loadTemplates(
  dir: URL | string = new URL('.', import.meta.url),
): Promise<TemplateSet> {
  const base = folderUrl(dir);
  const [digest, text, partials] = await Promise.all([
    readFile(new URL('digest.mjml.hbs', base), 'utf8'),
    readFile(new URL('digest.txt.hbs', base), 'utf8'),
    readPartials(new URL('partials/', base)),
  ]);
  return { digest, text, partials };
}

/**
 * Reads the web pages' templates: every `<name>.html.hbs` (registered as `name`),
 * `partials/*.hbs` and the stylesheet `style.css`.
 * @param dir the folder; default: `pages/` beside this file
 */
export async function loadPageTemplates(
  dir: URL | string = new URL('pages/', import.meta.url),
): Promise<PageTemplates> {
  const base = folderUrl(dir);
  const [pages, partials, stylesheet] = await Promise.all([
    readTemplates(base, '.html.hbs'),
    readPartials(new URL('partials/', base)),
    readFile(new URL('style.css', base), 'utf8'),
  ]);
  return { pages, partials, stylesheet };
}

/** The file name of the confirmation email's HTML template, which the build makes. */
export const BUILT_CONFIRMATION_HTML = 'confirmation.html.hbs';
/** The file name of the HTML template of the email with a link to leave, which the build makes. */
export const BUILT_LEAVE_LINK_HTML = 'leave-link.html.hbs';

/**
 * Reads the confirmation email's templates as the build left them: the HTML that MJML made
 * from `confirmation.mjml.hbs` (see `build-templates.ts`), and `confirmation.txt.hbs`; and
 * so those of the email with a link to leave (`leave-link.*`). Loads no MJML, for the
 * public function; the CLI compiles the MJML itself (`compileConfirmationTemplates`).
 * @param dir the folder; default: `confirmation/` beside this file (in a Lambda bundle: the
 *   folder into which the stack builds and copies them)
 * @throws TemplateError when the HTML was not built into that folder
 */
export async function loadConfirmationTemplates(
  dir: URL | string = new URL('confirmation/', import.meta.url),
): Promise<ConfirmationTemplates> {
  const base = folderUrl(dir);
  // The built HTML first: in a folder without it, the error must say how to build it,
  // whichever file the file system would have reported missing first.
  const built = (name: string) =>
    readFile(new URL(name, base), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      throw new TemplateError(
        `confirmation/${name}`,
        undefined,
        `not built in ${fileURLToPath(base)}: run \`node --import tsx templates/build-templates.ts <folder>\` (the stack runs it when it bundles the function)`,
      );
    });
  const html = await built(BUILT_CONFIRMATION_HTML);
  const leaveLinkHtml = await built(BUILT_LEAVE_LINK_HTML);
  const [text, leaveLinkText] = await Promise.all([
    readFile(new URL('confirmation.txt.hbs', base), 'utf8'),
    readFile(new URL('leave-link.txt.hbs', base), 'utf8'),
  ]);
  return { html, text, leaveLink: { html: leaveLinkHtml, text: leaveLinkText } };
}

function folderUrl(dir: URL | string): URL {
  const base = typeof dir === 'string' ? pathToFileURL(dir) : new URL(dir);
  // Without a trailing slash the folder's last segment would be replaced when resolving.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

function readPartials(folder: URL): Promise<Record<string, string>> {
  return readTemplates(folder, '.hbs');
}

/** The files of `folder` whose names end with `suffix`, by name without it (none if absent). */
async function readTemplates(folder: URL, suffix: string): Promise<Record<string, string>> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.endsWith(suffix)).sort();
  const sources = await Promise.all(names.map((entry) => readFile(new URL(entry, folder), 'utf8')));
  const templates: Record<string, string> = {};
  for (const [index, entry] of names.entries()) {
    templates[entry.slice(0, -suffix.length)] = sources[index] ?? '';
  }
  return templates;
}
