/**
 * A digest template that cannot be rendered: bad Handlebars, invalid MJML, a missing field,
 * an unsafe link or a lost per-recipient marker. Names the template file and, when known,
 * the line to fix.
 */
export class TemplateError extends Error {
  override name = 'TemplateError';

  /**
   * @param template the template file, e.g. `partials/mjml-photo.hbs`
   * @param line 1-based line in that file, when known
   * @param detail what is wrong
   */
  constructor(
    readonly template: string,
    readonly line: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${template}${line === undefined ? '' : `:${line}`}: ${detail}`, options);
  }
}
