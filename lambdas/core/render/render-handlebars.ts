import Handlebars from 'handlebars';
import { isHttpsUrl } from '../https-url.ts';
import { isRecipientField, type RecipientField, recipientFields } from './recipient-fields.ts';
import { TemplateError } from './template-error.ts';
import { templateFileNames } from './templates.ts';
import { wrapText } from './wrap-text.ts';

/** A template source and the file name errors should name. */
export interface NamedTemplate {
  name: string;
  source: string;
}

/** How to run one template. */
export interface HandlebarsOptions {
  /** Escape values for HTML (`true` for the MJML part, `false` for the text part). */
  escape: boolean;
  /** Partial sources by name. */
  partials: Record<string, string>;
  /** The marker that the `recipient` helper writes for each field. */
  markers: Record<RecipientField, string>;
}

/**
 * Runs one template over `data` with a fresh Handlebars instance in strict mode, so that a
 * misspelt field fails instead of rendering nothing. Only the template and its partials are
 * compiled: values in `data` are never read as templates.
 *
 * Helpers: `https url` (the URL if it is `https:`, else empty), `recipient 'field'` (the
 * marker of a per-recipient field), `wrap text [width]` (folds at 72 columns),
 * `concat a b …`, `or a b …` (true when any is truthy).
 * @throws TemplateError naming the template or partial and the line
 */
export function renderHandlebars(
  template: NamedTemplate,
  data: unknown,
  options: HandlebarsOptions,
): string {
  const handlebars = Handlebars.create();
  const compileOptions: CompileOptions = {
    strict: true,
    noEscape: !options.escape,
    // Partials on their own line would otherwise be indented, which changes the text part.
    preventIndent: true,
  };
  registerHelpers(handlebars, options.markers);
  for (const [name, source] of Object.entries(options.partials)) {
    const run = compile(
      handlebars,
      { name: templateFileNames.partial(name), source },
      compileOptions,
    );
    handlebars.registerPartial(name, run as unknown as Handlebars.Template);
  }
  return compile(handlebars, template, compileOptions)(data);
}

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;
type Run = (context: unknown, runtimeOptions?: Handlebars.RuntimeOptions) => string;

function compile(
  handlebars: typeof Handlebars,
  template: NamedTemplate,
  options: CompileOptions,
): Run {
  let program: hbs.AST.Program;
  try {
    program = handlebars.parse(template.source);
  } catch (error) {
    throw toTemplateError(error, template.name);
  }
  const compiled = handlebars.compile(program, options);
  return (context, runtimeOptions) => {
    try {
      return compiled(context, runtimeOptions);
    } catch (error) {
      throw toTemplateError(error, template.name);
    }
  };
}

function registerHelpers(
  handlebars: typeof Handlebars,
  markers: Record<RecipientField, string>,
): void {
  handlebars.registerHelper('https', (value: unknown) =>
    typeof value === 'string' && isHttpsUrl(value) ? value : '',
  );
  handlebars.registerHelper('recipient', (field: unknown, helper: Handlebars.HelperOptions) => {
    if (!isRecipientField(field)) {
      throw new Handlebars.Exception(
        `recipient: unknown field ${JSON.stringify(field)}; use one of ${recipientFields.join(', ')}`,
        locationOf(helper),
      );
    }
    return markers[field];
  });
  handlebars.registerHelper('wrap', (...args: unknown[]) => {
    const [text, width] = args.slice(0, -1);
    return wrapText(String(text ?? ''), typeof width === 'number' ? width : undefined);
  });
  handlebars.registerHelper('or', (...args: unknown[]) =>
    args.slice(0, -1).some((value) => Boolean(value)),
  );
  handlebars.registerHelper('concat', (...args: unknown[]) =>
    args
      .slice(0, -1)
      .map((part) => String(part ?? ''))
      .join(''),
  );
}

/** Handlebars passes the helper's source location as `loc`, though its types omit it. */
function locationOf(helper: Handlebars.HelperOptions): hbs.AST.Node | undefined {
  const { loc } = helper as Handlebars.HelperOptions & { loc?: hbs.AST.SourceLocation };
  return loc ? ({ type: 'Helper', loc } as hbs.AST.Node) : undefined;
}

function toTemplateError(error: unknown, templateName: string): TemplateError {
  if (error instanceof TemplateError) return error;
  // Handlebars names the context object unhelpfully: "x" not defined in [object Object].
  const message = (error instanceof Error ? error.message : String(error)).replace(
    ' in [object Object]',
    '',
  );
  const lineNumber = (error as { lineNumber?: unknown }).lineNumber;
  const line =
    typeof lineNumber === 'number' ? lineNumber : Number(/on line (\d+)/.exec(message)?.[1]);
  return new TemplateError(templateName, Number.isInteger(line) ? line : undefined, message, {
    cause: error,
  });
}
