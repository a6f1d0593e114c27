import Handlebars from 'handlebars';
import { isHttpsUrl } from '../common/https-url.ts';
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
  /** The marker that the `recipient` helper writes for each field; none on web pages. */
  markers?: Record<RecipientField, string>;
  /**
   * The list's own addresses (`publicBaseUrl` and the media base, validated by the
   * configuration): links below them pass the `https` helper too, so that archive links and
   * stored photos work on a local `http:` server.
   */
  trustedBaseUrls?: readonly string[];
  /** The file a partial comes from, as errors name it. Default: `partials/<name>.hbs`. */
  partialFileName?: (name: string) => string;
}

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;
type Run = (context: unknown, runtimeOptions?: Handlebars.RuntimeOptions) => string;

/** Compiled templates, per partials object and escaping: compiling costs more than running. */
interface Compiled {
  handlebars: typeof Handlebars;
  options: CompileOptions;
  runs: Map<string, Run>;
}
const compiledByPartials = new WeakMap<Record<string, string>, Map<boolean, Compiled>>();

/**
 * Runs one template over `data` in strict mode, so that a misspelt field fails instead of
 * rendering nothing. Only the template and its partials are compiled (once per partials
 * object, then reused): values in `data` are never read as templates.
 *
 * Helpers: `https url` (the URL if it is `https:` or below a `trustedBaseUrls`, else empty),
 * `recipient 'field'` (the marker of a per-recipient field), `wrap text [width]` (folds at
 * 72 columns), `concat a b …`, `or a b …` (true when any is truthy), `eq a b`.
 * @throws TemplateError naming the template or partial and the line
 */
export function renderHandlebars(
  template: NamedTemplate,
  data: unknown,
  options: HandlebarsOptions,
): string {
  const compiled = compiledFor(
    options.partials,
    options.escape,
    options.partialFileName ?? templateFileNames.partial,
  );
  let run = compiled.runs.get(template.source);
  if (!run) {
    run = compile(compiled.handlebars, template, compiled.options);
    compiled.runs.set(template.source, run);
  }
  return run(data, { helpers: perRenderHelpers(options) });
}

function compiledFor(
  partials: Record<string, string>,
  escaping: boolean,
  fileName: (name: string) => string,
): Compiled {
  let byEscape = compiledByPartials.get(partials);
  if (!byEscape) {
    byEscape = new Map();
    compiledByPartials.set(partials, byEscape);
  }
  const cached = byEscape.get(escaping);
  if (cached) return cached;
  const handlebars = Handlebars.create();
  const options: CompileOptions = {
    strict: true,
    noEscape: !escaping,
    // Partials on their own line would otherwise be indented, which changes the text part.
    preventIndent: true,
  };
  registerHelpers(handlebars);
  for (const [name, source] of Object.entries(partials)) {
    const run = compile(handlebars, { name: fileName(name), source }, options);
    handlebars.registerPartial(name, run as unknown as Handlebars.Template);
  }
  const compiled = { handlebars, options, runs: new Map<string, Run>() };
  // Cached only once every partial parsed, so a broken partial fails on every render.
  byEscape.set(escaping, compiled);
  return compiled;
}

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

function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('wrap', (...args: unknown[]) => {
    const [text, width] = args.slice(0, -1);
    return wrapText(String(text ?? ''), typeof width === 'number' ? width : undefined);
  });
  handlebars.registerHelper('or', (...args: unknown[]) =>
    args.slice(0, -1).some((value) => Boolean(value)),
  );
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('concat', (...args: unknown[]) =>
    args
      .slice(0, -1)
      .map((part) => String(part ?? ''))
      .join(''),
  );
}

/** The helpers whose answers depend on this render: its markers and the list's address. */
function perRenderHelpers(options: HandlebarsOptions): Record<string, Handlebars.HelperDelegate> {
  const trusted = (options.trustedBaseUrls ?? []).map((base) => `${base}/`);
  return {
    https: (value: unknown) =>
      typeof value === 'string' &&
      (isHttpsUrl(value) || trusted.some((base) => isBelow(value, base)))
        ? value
        : '',
    recipient: (field: unknown, helper: Handlebars.HelperOptions) => {
      if (!isRecipientField(field)) {
        throw new Handlebars.Exception(
          `recipient: unknown field ${JSON.stringify(field)}; use one of ${recipientFields.join(', ')}`,
          locationOf(helper),
        );
      }
      if (!options.markers) {
        throw new Handlebars.Exception(
          'recipient: a web page has no recipient; per-recipient fields exist only in the digest',
          locationOf(helper),
        );
      }
      return options.markers[field];
    },
  };
}

/** True when `value` is a plain address below `base` (which ends with a slash). */
function isBelow(value: string, base: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  return value.startsWith(base) && !/[\s\u0000-\u001f\u007f\\]/.test(value);
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
