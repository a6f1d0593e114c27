import type { Config } from '../common/config.ts';
import type { Check, CheckSeverity } from './check.ts';
import { checkCompatibility } from './check-compatibility.ts';
import { type ContentOptions, checkContent } from './check-content.ts';
import { checkContrast } from './check-contrast.ts';
import { checkSize } from './check-size.ts';
import { parseHtml } from './parse-html.ts';

/** A message as one recipient gets it: the personalised HTML and text, subject, preheader. */
export interface MessageToCheck {
  /** The minified HTML, personalised (`personalize`) or still holding its markers. */
  html: string;
  text: string;
  subject: string;
  preheader: string;
}

/** What the checks need from the configuration. */
export type CheckOptions = Pick<
  Config,
  'htmlBudgetBytes' | 'compatibilityClients' | 'postalAddress'
> &
  Pick<ContentOptions, 'creditLabel'>;

const order: Record<CheckSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Runs every check of the core on a message: size, compatibility (caniemail), content and
 * contrast; the HTML is parsed once. SpamAssassin's score is an adapter's
 * (`spamassassin-check.ts`) and is not among them.
 * @returns the findings, errors first, then warnings, then infos; in each, in the order of
 *   the checks above
 */
export function checkMessage(message: MessageToCheck, options: CheckOptions): Check[] {
  const document = parseHtml(message.html);
  const checks = [
    checkSize(message.html, options),
    ...checkCompatibility(document, options),
    ...checkContent(document, message, options),
    ...checkContrast(document),
  ];
  return checks.sort((a, b) => order[a.severity] - order[b.severity]);
}
