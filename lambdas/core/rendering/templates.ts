/**
 * The template sources of a digest (file contents, not paths: reading them from disk is the
 * caller's job, see `templates/load-templates.ts`).
 */
export interface TemplateSet {
  /** `digest.mjml.hbs`: Handlebars over MJML, rendered with HTML escaping. */
  digest: string;
  /** `digest.txt.hbs`: Handlebars for the plain-text part, rendered without escaping. */
  text: string;
  /** Partials by name (`partials/<name>.hbs`), available to both templates. */
  partials: Record<string, string>;
}

/** The file a template came from, as template errors name it. */
export const templateFileNames = {
  digest: 'digest.mjml.hbs',
  text: 'digest.txt.hbs',
  partial: (name: string) => `partials/${name}.hbs`,
} as const;
