import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { mjmlToHtml } from '#core/rendering/mjml-to-html.ts';
import { renderHandlebars } from '#core/rendering/render-handlebars.ts';
import { templateFileNames } from '#core/rendering/templates.ts';
import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';
import { loadTemplates } from './load-templates.ts';

const SOURCE = 'confirmation/confirmation.mjml.hbs';
const LEAVE_LINK_SOURCE = 'confirmation/leave-link.mjml.hbs';

/**
 * Makes the confirmation email's templates from their sources, and those of the email with
 * a link to leave: each `.mjml.hbs` runs through Handlebars (its partials: the digest's
 * `partials/`) and then MJML, which leaves its run-time placeholders (written `\{{…}}` in the
 * source) as Handlebars for each email.
 * Loads MJML: the build and the CLI call it, never the public function.
 * @param dir the templates folder; default: this `templates/` folder
 * @throws TemplateError naming the source and line when it cannot be compiled
 */
export async function compileConfirmationTemplates(
  dir: URL | string = new URL('.', import.meta.url),
): Promise<ConfirmationTemplates> {
  const base = typeof dir === 'string' ? pathToFileURL(dir.endsWith('/') ? dir : `${dir}/`) : dir;
  const [source, text, leaveLinkSource, leaveLinkText, { partials }] = await Promise.all([
    readFile(new URL(SOURCE, base), 'utf8'),
    readFile(new URL('confirmation/confirmation.txt.hbs', base), 'utf8'),
    readFile(new URL(LEAVE_LINK_SOURCE, base), 'utf8'),
    readFile(new URL('confirmation/leave-link.txt.hbs', base), 'utf8'),
    loadTemplates(base),
  ]);
  const partialSources = Object.entries(partials).map(([name, partial]) => ({
    name: templateFileNames.partial(name),
    source: partial,
  }));
  const compile = (name: string, mjmlSource: string) => {
    const mjml = renderHandlebars({ name, source: mjmlSource }, {}, { escape: true, partials });
    return mjmlToHtml(mjml, [{ name, source: mjmlSource }, ...partialSources]);
  };
  const html = await compile(SOURCE, source);
  const leaveLinkHtml = await compile(LEAVE_LINK_SOURCE, leaveLinkSource);
  return { html, text, leaveLink: { html: leaveLinkHtml, text: leaveLinkText } };
}
