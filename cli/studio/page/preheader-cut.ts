/**
 * How much of the preheader (the preview text) mail clients show in their inbox lists, in
 * characters, as theMarketer's table "How long should your preview texts be?" gives them
 * (https://themarketer.com/resources/knowledge-base/how-long-should-your-preview-texts-be,
 * figures in line with Litmus's tests). They are approximations: the real cut depends on the
 * window's width, the font and, in Gmail on the desktop, on the subject, which shares the
 * preheader's line.
 */

/** Gmail in a desktop browser: about 97 characters (less what a long subject takes). */
export const GMAIL_DESKTOP_PREHEADER_CHARS = 97;

/** Gmail's app on an iPhone: about 90 characters, on a line of its own. */
export const GMAIL_MOBILE_PREHEADER_CHARS = 90;

/** Apple Mail on a Mac: about 140 characters. */
export const APPLE_MAIL_DESKTOP_PREHEADER_CHARS = 140;

/** Apple Mail on an iPhone held upright: about 81 characters (two lines). */
export const APPLE_MAIL_IPHONE_PREHEADER_CHARS = 81;

/** What one client shows of a preheader. */
export interface PreheaderCut {
  /** The client, as the inbox row names it. */
  client: string;
  /** The characters it shows, about. */
  limit: number;
  /** The text shown, ending with `…` when cut. */
  shown: string;
  /** Whether the preheader is longer than the client shows. */
  cut: boolean;
}

/** The clients the inbox row shows, widest first. */
export const preheaderClients: readonly { client: string; limit: number }[] = [
  { client: 'Apple Mail, Mac', limit: APPLE_MAIL_DESKTOP_PREHEADER_CHARS },
  { client: 'Gmail, desktop', limit: GMAIL_DESKTOP_PREHEADER_CHARS },
  { client: 'Gmail, iPhone app', limit: GMAIL_MOBILE_PREHEADER_CHARS },
  { client: 'Apple Mail, iPhone', limit: APPLE_MAIL_IPHONE_PREHEADER_CHARS },
];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `preheader` as a client showing `limit` characters shows it: whitespace runs collapsed (as
 * an inbox list shows one line), at most `limit` characters (graphemes, so that an accent
 * or an emoji is never split), then `…` when cut, without the spaces before it.
 */
export function cutPreheader(preheader: string, limit: number): { shown: string; cut: boolean } {
  const text = preheader.replace(/\s+/g, ' ').trim();
  const characters = Array.from(graphemes.segment(text), (part) => part.segment);
  if (characters.length <= limit) return { shown: text, cut: false };
  return { shown: `${characters.slice(0, limit).join('').trimEnd()}…`, cut: true };
}

/** The preheader as each client of `preheaderClients` shows it. */
export function preheaderCuts(preheader: string): PreheaderCut[] {
  return preheaderClients.map(({ client, limit }) => ({
    client,
    limit,
    ...cutPreheader(preheader, limit),
  }));
}
