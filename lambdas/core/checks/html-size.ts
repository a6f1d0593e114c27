import { utf8Length } from '../rendering/utf8-length.ts';

/**
 * Where Gmail clips a message, in bytes of HTML: past about 102 KB it shows the start and a
 * "View entire message" link, and hides the rest, the footer with its unsubscribe link too.
 */
export const gmailClipBytes = 102_400;

/** An issue's HTML size against its limits, for a gauge. */
export interface HtmlSize {
  /** Bytes of the HTML in UTF-8. */
  bytes: number;
  /** The configured budget (`htmlBudgetBytes`). */
  budget: number;
  /** Gmail's clip (`gmailClipBytes`). */
  gmailClip: number;
}

/**
 * The size of the minified HTML that will be sent, in UTF-8 bytes, with the budget and
 * Gmail's clip to draw it against.
 * @param htmlBudgetBytes the configuration's `htmlBudgetBytes`
 */
export function htmlSize(html: string, htmlBudgetBytes: number): HtmlSize {
  return { bytes: utf8Length(html), budget: htmlBudgetBytes, gmailClip: gmailClipBytes };
}
