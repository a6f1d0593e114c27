import { injectAtHeadEnd, injectIntoHead } from './head-inject.ts';
import { partialDarkHtml } from './partial-dark.ts';

/** How the preview frame paints the message. */
export type FrameMode = 'light' | 'dark-full' | 'dark-partial';

/**
 * An approximation of a full dark mode, the kind Gmail's apps apply to a light design: the
 * whole message inverted with its hues kept (`invert(1) hue-rotate(180deg)`), then the
 * pictures inverted back, so photos look as they are. Real clients pick their colours
 * differently; this shows where a design turns dark and where it does not.
 */
export const FULL_DARK_CSS =
  'html{filter:invert(1) hue-rotate(180deg);background-color:#fff}img,picture,video{filter:invert(1) hue-rotate(180deg)}';

/**
 * Makes every link open a new window, which the frame's sandbox (no `allow-popups`) refuses:
 * a click in the preview navigates nowhere, so a subscriber's real unsubscribe link in their
 * preview cannot be followed by accident.
 */
export const NO_NAVIGATION = '<base target="_blank">';

/** Where the studio's own server serves the stored photos (`GET /media/<sha256>.jpg|png`). */
export const STUDIO_MEDIA_PATH = '/media/';

/**
 * The copy of the message's HTML the preview frame shows in `mode`: the HTML with its photos
 * taken from the studio (`studioMediaAddresses`), links that go nowhere, and for a dark mode
 * its approximation (`FULL_DARK_CSS`, or `partialDarkHtml`). The message itself, as the
 * HTML source view shows it, is never changed.
 * @param mediaBaseUrl where the configuration says stored photos are served from
 */
export function frameHtml(html: string, mode: FrameMode, mediaBaseUrl: string): string {
  const local = studioMediaAddresses(html, mediaBaseUrl);
  const painted =
    mode === 'dark-partial'
      ? partialDarkHtml(local)
      : mode === 'dark-full'
        ? injectAtHeadEnd(local, `<style>${FULL_DARK_CSS}</style>`)
        : local;
  return injectIntoHead(painted, NO_NAVIGATION);
}

/** A quoted `src` or `srcset` attribute: what comes before its value, its quote, its value. */
const IMAGE_ATTRIBUTE = /(\s(?:src|srcset)\s*=\s*)(["'])(.*?)\2/gis;

/**
 * `html` with every image address under `mediaBaseUrl` (in a quoted `src` or `srcset`
 * attribute, each candidate of a `srcset`) moved to the studio's own `/media/…`, which the
 * studio serves from the local media store and the page's `img-src 'self'` allows: the
 * photos show without `newsletter serve`. Other addresses, and the HTML outside those
 * attributes, are left as they are.
 *
 * Only the frame's copy is rewritten: the preview answer's HTML, which the HTML source view,
 * the checks and the size gauge read, stays byte for byte what is sent.
 * @param mediaBaseUrl where the configuration says stored photos are served from
 */
export function studioMediaAddresses(html: string, mediaBaseUrl: string): string {
  const base = mediaBaseUrl.replace(/\/+$/, '');
  if (base === '') return html;
  // The base at the start of the value or of a `srcset` candidate (after a comma).
  const under = new RegExp(`(^\\s*|,\\s*)${escapeRegExp(base)}/`, 'g');
  return html.replace(
    IMAGE_ATTRIBUTE,
    (_whole, before: string, quote: string, value: string) =>
      `${before}${quote}${value.replace(under, `$1${STUDIO_MEDIA_PATH}`)}${quote}`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
