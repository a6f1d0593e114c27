import type { Config } from '../common/config.ts';
import { assertSafeLinks } from '../rendering/assert-safe-links.ts';
import { renderHandlebars } from '../rendering/render-handlebars.ts';

/**
 * The templates of the email with a link to leave (file contents, beside the confirmation
 * email's: `templates/load-templates.ts` reads them, `compile-confirmation-templates.ts` makes
 * them from the sources). Data of both: subject, listName, unsubscribeUrl, postalAddress,
 * language.
 */
export interface LeaveLinkTemplates {
  /**
   * `confirmation/leave-link.html.hbs`: Handlebars over the HTML that MJML made from
   * `leave-link.mjml.hbs` when the project was built; rendered with HTML escaping.
   */
  html: string;
  /** `confirmation/leave-link.txt.hbs`: the plain-text part, rendered without escaping. */
  text: string;
}

/** The file each template of the email came from, as template errors name it. */
export const leaveLinkFileNames = {
  html: 'confirmation/leave-link.html.hbs',
  text: 'confirmation/leave-link.txt.hbs',
} as const;

// One object for every render, so that each template is compiled once (the renderer caches
// compiled templates per partials object).
const NO_PARTIALS: Record<string, string> = {};

/**
 * The email that answers a request for a link to leave (`requestLeaveLink`): the subscriber's
 * one-click unsubscribe link, which opens the page with its button, as an issue's does.
 * Anyone can type any address into that form, so the email carries nothing they typed; only
 * the link, and the list's own configuration.
 * @throws TemplateError naming the template and line when it cannot be rendered
 */
export function leaveLinkMessage(
  config: Pick<Config, 'listName' | 'postalAddress' | 'language' | 'publicBaseUrl'>,
  recipient: { unsubscribeUrl: string },
  templates: LeaveLinkTemplates,
): { subject: string; text: string; html: string } {
  const subject = `Your link to leave ${config.listName}`;
  const data = {
    subject,
    listName: config.listName,
    unsubscribeUrl: recipient.unsubscribeUrl,
    postalAddress: config.postalAddress,
    language: config.language,
  };
  // The link points below the list's own address, which is plain http: on a local server.
  const trustedBaseUrls = [config.publicBaseUrl];
  const render = (part: 'html' | 'text', escapeHtml: boolean) =>
    renderHandlebars({ name: leaveLinkFileNames[part], source: templates[part] }, data, {
      escape: escapeHtml,
      partials: NO_PARTIALS,
      trustedBaseUrls,
    });
  // Only the HTML escapes: the text part is plain text, where an entity would show as typed.
  const html = render('html', true);
  assertSafeLinks(html, [], leaveLinkFileNames.html, trustedBaseUrls);
  const text = render('text', false);
  return { subject, text, html };
}
