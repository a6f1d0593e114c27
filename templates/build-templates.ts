/**
 * Writes the templates that are compiled before run time into a folder, so that the code
 * reading them there loads no compiler: today `confirmation/confirmation.html.hbs`, the
 * confirmation email's HTML, and `confirmation/leave-link.html.hbs`, that of the email with a
 * link to leave (see `compile-confirmation-templates.ts`). The stack runs it
 * into the public function's bundle:
 *
 *   node --import tsx templates/build-templates.ts <folder>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileConfirmationTemplates } from './compile-confirmation-templates.ts';
import { BUILT_CONFIRMATION_HTML, BUILT_LEAVE_LINK_HTML } from './load-templates.ts';

/**
 * Compiles the templates and writes them below `folder`.
 * @returns the files written
 */
export async function buildTemplates(folder: string): Promise<string[]> {
  const { html, leaveLink } = await compileConfirmationTemplates();
  const target = join(folder, 'confirmation');
  await mkdir(target, { recursive: true });
  const files: [string, string][] = [
    [join(target, BUILT_CONFIRMATION_HTML), html],
    [join(target, BUILT_LEAVE_LINK_HTML), leaveLink.html],
  ];
  for (const [file, content] of files) await writeFile(file, content);
  return files.map(([file]) => file);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [folder] = process.argv.slice(2);
  if (!folder) {
    console.error('Usage: node --import tsx templates/build-templates.ts <folder>');
    process.exit(2);
  }
  for (const file of await buildTemplates(folder)) console.log(`wrote ${file}`);
}
