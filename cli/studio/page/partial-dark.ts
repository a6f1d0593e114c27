import { contrastRatio } from '#core/checks/contrast-ratio.ts';
import { parseColor, type Rgba } from '#core/checks/parse-color.ts';
import { injectIntoHead } from './head-inject.ts';

/**
 * An approximation of a partial dark mode, the kind Outlook's apps and Outlook.com apply:
 * light backgrounds are darkened and dark text is lightened, while dark backgrounds, light
 * text and images are left as they are. Real clients differ in their thresholds and colours;
 * this shows which parts of a design such a client would change, not their exact look.
 *
 * It works on a copy of the HTML (the preview frame's), on the colours the HTML states:
 * `color`, `background-color` and `background` in `style` attributes and `<style>` blocks,
 * `bgcolor` attributes and `<font color>`.
 */

const black: Rgba = { r: 0, g: 0, b: 0, a: 1 };
const white: Rgba = { r: 255, g: 255, b: 255, a: 1 };

/** HSL lightness that white becomes as a background; lighter ones stay as dark as this. */
const DARK_BACKGROUND_FLOOR = 0.1;
/** How much of a background's distance from white is kept as lightness above the floor. */
const DARK_BACKGROUND_SPAN = 0.5;
/** HSL lightness that black becomes as text. */
const LIGHT_TEXT_CEILING = 0.92;
/** How much of a text colour's lightness is taken off the ceiling. */
const LIGHT_TEXT_SPAN = 0.5;

/** The page's own colours where the HTML gives none, as such a client paints its canvas. */
export const PARTIAL_DARK_BASE_CSS = 'html,body{background-color:#1a1a1a;color:#ebebeb}';

/** Whether black text would read better on `color` than white text: a light colour. */
export function isLight(color: Rgba): boolean {
  return contrastRatio(color, black) > contrastRatio(color, white);
}

/** A light background darkened, keeping its hue; a dark one unchanged. */
export function darkenedBackground(color: Rgba): Rgba {
  if (!isLight(color)) return color;
  const [hue, saturation, lightness] = toHsl(color);
  const darker = DARK_BACKGROUND_FLOOR + (1 - lightness) * DARK_BACKGROUND_SPAN;
  return { ...fromHsl(hue, saturation, darker), a: color.a };
}

/** Dark text lightened, keeping its hue; light text unchanged. */
export function lightenedText(color: Rgba): Rgba {
  if (isLight(color)) return color;
  const [hue, saturation, lightness] = toHsl(color);
  const lighter = LIGHT_TEXT_CEILING - lightness * LIGHT_TEXT_SPAN;
  return { ...fromHsl(hue, saturation, lighter), a: color.a };
}

type Role = 'background' | 'text';

/**
 * A CSS value with each colour in it changed for its role; `url(…)` parts, words that are no
 * colour (`solid`, `no-repeat`), `transparent` and colours it cannot read are left alone.
 */
export function partialDarkValue(value: string, role: Role): string {
  return value
    .split(/(url\([^)]*\))/i)
    .map((piece, index) =>
      index % 2 === 1
        ? piece
        : piece.replace(/rgba?\([^)]*\)|#[0-9a-f]{3,8}\b|\b[a-z]+\b/gi, (token) => {
            const color = parseColor(token);
            if (!color || color.a === 0) return token;
            const changed =
              role === 'background' ? darkenedBackground(color) : lightenedText(color);
            return changed === color ? token : formatColor(changed);
          }),
    )
    .join('');
}

/**
 * Declarations (a `style` attribute, or the rules of a `<style>` block) with the colours of
 * `color`, `background-color` and `background` changed; every other property left alone
 * (`border-color` too: a client keeps lines as drawn).
 */
export function partialDarkDeclarations(css: string): string {
  return css.replace(
    /(^|[;{\s])(background-color|background|color)(\s*:\s*)([^;}]*)/gi,
    (_, before: string, property: string, colon: string, value: string) =>
      `${before}${property}${colon}${partialDarkValue(value, property.toLowerCase() === 'color' ? 'text' : 'background')}`,
  );
}

const tagPattern =
  /<!--[\s\S]*?-->|(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)|<([a-z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)(\s*\/?>)/gi;

const attributePattern = /(\s)([^\s=>/]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)/g;

/**
 * A copy of `html` as a partial dark mode would paint it (see the module's comment), with
 * the client's own dark canvas (`PARTIAL_DARK_BASE_CSS`) under everything the HTML colours.
 * Comments (Outlook's conditional ones among them) are left as they are.
 */
export function partialDarkHtml(html: string): string {
  const changed = html.replace(
    tagPattern,
    (
      match: string,
      styleOpen: string | undefined,
      styleBody: string | undefined,
      styleClose: string | undefined,
      tag: string | undefined,
      attributes: string | undefined,
      end: string | undefined,
    ) => {
      if (styleOpen !== undefined) {
        return `${styleOpen}${partialDarkDeclarations(styleBody ?? '')}${styleClose}`;
      }
      if (tag === undefined) return match;
      return `<${tag}${changedAttributes(tag.toLowerCase(), attributes ?? '')}${end}`;
    },
  );
  return injectIntoHead(changed, `<style>${PARTIAL_DARK_BASE_CSS}</style>`);
}

function changedAttributes(tag: string, attributes: string): string {
  return attributes.replace(
    attributePattern,
    (match, space: string, name: string, equals: string, quoted: string) => {
      const attribute = name.toLowerCase();
      const role: Role | 'style' | undefined =
        attribute === 'style'
          ? 'style'
          : attribute === 'bgcolor'
            ? 'background'
            : attribute === 'color' && tag === 'font'
              ? 'text'
              : undefined;
      if (role === undefined) return match;
      const quote = quoted.startsWith('"') || quoted.startsWith("'") ? quoted[0] : '';
      const value = quote ? quoted.slice(1, -1) : quoted;
      const next =
        role === 'style' ? partialDarkDeclarations(value) : partialDarkValue(value, role);
      return `${space}${name}${equals}${quote}${next}${quote}`;
    },
  );
}

/** `#rrggbb`, or `rgba(…)` for a colour that is not opaque. */
export function formatColor({ r, g, b, a }: Rgba): string {
  const channels = [r, g, b].map((value) => Math.round(value));
  if (a < 1) return `rgba(${channels.join(',')},${Number(a.toFixed(3))})`;
  return `#${channels.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Hue (0–360), saturation and lightness (0–1) of an sRGB colour. */
export function toHsl({ r, g, b }: Rgba): [number, number, number] {
  const [red, green, blue] = [r / 255, g / 255, b / 255];
  const max = Math.max(red, green, blue);
  const min = Math.min(red, green, blue);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  if (chroma === 0) return [0, 0, lightness];
  const saturation = chroma / (1 - Math.abs(2 * lightness - 1));
  const hue =
    max === red
      ? ((green - blue) / chroma + 6) % 6
      : max === green
        ? (blue - red) / chroma + 2
        : (red - green) / chroma + 4;
  return [hue * 60, saturation, lightness];
}

/** The sRGB colour of a hue (0–360), saturation and lightness (0–1), opaque. */
export function fromHsl(hue: number, saturation: number, lightness: number): Rgba {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const part = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const offset = lightness - chroma / 2;
  const sector = Math.floor(hue / 60) % 6;
  const [red, green, blue] = (
    [
      [chroma, part, 0],
      [part, chroma, 0],
      [0, chroma, part],
      [0, part, chroma],
      [part, 0, chroma],
      [chroma, 0, part],
    ] as const
  )[sector] ?? [0, 0, 0];
  return {
    r: (red + offset) * 255,
    g: (green + offset) * 255,
    b: (blue + offset) * 255,
    a: 1,
  };
}
