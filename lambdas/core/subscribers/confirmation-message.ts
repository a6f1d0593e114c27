import type { Config } from '../common/config.ts';
import { assertSafeLinks } from '../rendering/assert-safe-links.ts';
import { renderHandlebars } from '../rendering/render-handlebars.ts';
import type { LeaveLinkTemplates } from './leave-link-message.ts';

/** The text of a confirmation request, in both parts of the message. */
export interface ConfirmationContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The confirmation email's templates (file contents; `templates/load-templates.ts` reads
 * them, `templates/compile-confirmation-templates.ts` makes them from the sources). Data of
 * both: subject, listName, confirmUrl, hours, postalAddress, language. With them, those of
 * the other email the confirmations job sends, the link to leave (`leaveLink`).
 */
export interface ConfirmationTemplates {
  /**
   * `confirmation/confirmation.html.hbs`: Handlebars over the HTML that MJML made from
   * `confirmation.mjml.hbs` when the project was built; rendered with HTML escaping.
   */
  html: string;
  /** `confirmation/confirmation.txt.hbs`: the plain-text part, rendered without escaping. */
  text: string;
  /** The email with a link to leave (`leaveLinkMessage`), from the same folder. */
  leaveLink: LeaveLinkTemplates;
}

/** The file each confirmation template came from, as template errors name it. */
export const confirmationFileNames = {
  html: 'confirmation/confirmation.html.hbs',
  text: 'confirmation/confirmation.txt.hbs',
} as const;

// One object for every render, so that each template is compiled once (the renderer caches
// compiled templates per partials object).
const NO_PARTIALS: Record<string, string> = {};

/**
 * The double opt-in email: one link that confirms (it opens a page with a button, so a link
 * scanner following it confirms nothing) and what happens if the reader ignores it.
 * Anyone can type any address into the sign-up form, so the email carries nothing else they
 * typed: no name, which would let a stranger write to that address through the list. Only
 * the link reaches it; the rest is the list's own configuration.
 * @throws TemplateError naming the template and line when it cannot be rendered
 */
export function confirmationMessage(
  config: Pick<
    Config,
    'listName' | 'postalAddress' | 'language' | 'confirmLinkHours' | 'publicBaseUrl'
  >,
  recipient: { confirmUrl: string },
  templates: ConfirmationTemplates,
): ConfirmationContent {
  const subject = `Confirm your subscription to ${config.listName}`;
  const data = {
    subject,
    listName: config.listName,
    confirmUrl: recipient.confirmUrl,
    hours: config.confirmLinkHours,
    postalAddress: config.postalAddress,
    language: config.language,
  };
  // The link points below the list's own address, which is plain http: on a local server.
  const trustedBaseUrls = [config.publicBaseUrl];
  const render = (part: 'html' | 'text', escapeHtml: boolean) =>
    renderHandlebars({ name: confirmationFileNames[part], source: templates[part] }, data, {
      escape: escapeHtml,
      partials: NO_PARTIALS,
      trustedBaseUrls,
    });
  // Only the HTML escapes: the text part is plain text, where an entity would show as typed.
  const html = render('html', true);
  assertSafeLinks(html, [], confirmationFileNames.html, trustedBaseUrls);
  const text = render('text', false);
  return { subject, text, html };
}
