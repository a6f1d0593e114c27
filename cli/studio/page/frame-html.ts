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

/**
 * The copy of the message's HTML the preview frame shows in `mode`: the HTML with links that
 * go nowhere, and for a dark mode its approximation (`FULL_DARK_CSS`, or `partialDarkHtml`).
 * The message itself, as the HTML source view shows it, is never changed.
 */
export function frameHtml(html: string, mode: FrameMode): string {
  const painted =
    mode === 'dark-partial'
      ? partialDarkHtml(html)
      : mode === 'dark-full'
        ? injectAtHeadEnd(html, `<style>${FULL_DARK_CSS}</style>`)
        : html;
  return injectIntoHead(painted, NO_NAVIGATION);
}
