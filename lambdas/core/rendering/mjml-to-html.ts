import mjml2html from 'mjml';
import type { NamedTemplate } from './render-handlebars.ts';
import { TemplateError } from './template-error.ts';

interface MjmlProblem {
  line: number;
  message: string;
  tagName: string;
}

/**
 * Turns MJML into minified HTML (MJML v5, strict validation: any invalid element fails).
 * @param mjml the MJML that the digest template produced
 * @param sources the digest template and its partials, to point an error at the line that
 *   most likely produced it
 * @throws TemplateError naming the template and line of the first problem
 */
export async function mjmlToHtml(mjml: string, sources: readonly NamedTemplate[]): Promise<string> {
  try {
    const { html } = await mjml2html(mjml, {
      validationLevel: 'strict',
      minify: true,
      keepComments: false,
      // No web fonts: the digest uses system fonts, and no font request leaves the reader's client.
      fonts: {},
      // cssnano cannot be loaded by htmlnano in this install; the few head rules are left as is.
      minifyOptions: { minifyCss: false },
    });
    return html;
  } catch (error) {
    const problems = (error as { errors?: MjmlProblem[] }).errors;
    const first = problems?.[0];
    const [main] = sources;
    if (!first || !main) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TemplateError(main?.name ?? 'digest', undefined, `MJML: ${message}`, {
        cause: error,
      });
    }
    const generated = mjml.split('\n')[first.line - 1]?.trim() ?? '';
    const origin = locate(generated, first.tagName, sources);
    const detail = `MJML: ${first.message} (line ${first.line} of the MJML it produced: ${generated.slice(0, 120)})`;
    throw new TemplateError(origin?.name ?? main.name, origin?.line, detail, { cause: error });
  }
}

/**
 * Finds the template line that produced a line of MJML: the only source line equal to it,
 * else the only source line that opens the same element. Undefined when ambiguous.
 */
function locate(
  generated: string,
  tagName: string,
  sources: readonly NamedTemplate[],
): { name: string; line: number } | undefined {
  const lines = sources.flatMap(({ name, source }) =>
    source.split('\n').map((text, index) => ({ name, line: index + 1, text: text.trim() })),
  );
  const same = lines.filter((candidate) => candidate.text === generated);
  if (same.length === 1) return same[0];
  const opening = new RegExp(`<${tagName}(?=[\\s/>]|$)`);
  const opens = lines.filter((candidate) => opening.test(candidate.text));
  return opens.length === 1 ? opens[0] : undefined;
}
