import type { Check } from './check.ts';
import { blend, contrastRatio } from './contrast-ratio.ts';
import { describeElement, shorten } from './describe-element.ts';
import { backgroundColorOf, parseColor, type Rgba } from './parse-color.ts';
import { declaredValue, parseDeclarations } from './parse-declarations.ts';
import type { HtmlDocument, HtmlElement, HtmlNode, HtmlText } from './parse-html.ts';

/** WCAG 2's smallest contrast for body text (level AA). */
export const minimumContrast = 4.5;
/** WCAG 2's smallest contrast for large text: 24px, or 18.66px (14pt) bold. */
export const minimumLargeContrast = 3;

/**
 * Text contrast, where inline styles say both colours: for each visible run of text in the
 * body, its colour (the nearest `color` in a `style` attribute, or a `<font color>`) against
 * its background (the nearest `background-color`, colour of `background`, or `bgcolor`; a
 * transparent one lets the next show through). Text whose colour or background is not known
 * that way (set in `<style>`, or a colour the parser does not know) is not judged; hidden
 * text (`display:none`, `visibility:hidden`, `opacity:0`, `font-size:0`, `hidden`) neither.
 * Below 4.5:1 (3:1 for large text) is a finding: an `error` below 3:1, else a `warning`. One
 * finding per pair of colours, `where` naming the first element and both colours.
 */
export function checkContrast(document: HtmlDocument): Check[] {
  const body = document.elements.find((element) => element.tag === 'body') ?? document.root;
  const found = new Map<string, { check: Check; count: number }>();
  for (const text of textsOf(body)) {
    const judged = judge(text);
    if (!judged) continue;
    const { ratio, large, color, background } = judged;
    const minimum = large ? minimumLargeContrast : minimumContrast;
    if (ratio >= minimum) continue;
    const key = `${color}|${background}|${minimum}`;
    const seen = found.get(key);
    if (seen) {
      seen.count++;
      continue;
    }
    const excerpt = shorten(text.text.replace(/\s+/g, ' ').trim(), 40);
    found.set(key, {
      count: 1,
      check: {
        rule: 'contrast',
        severity: ratio < minimumLargeContrast ? 'error' : 'warning',
        message: `Text contrast is ${Math.floor(ratio * 100) / 100}:1, below ${minimum}:1${large ? ' for large text' : ''}: darken the text or lighten its background.`,
        where: `${describeElement(text.parent)} "${excerpt}": ${color} on ${background}`,
      },
    });
  }
  return [...found.values()].map(({ check, count }) =>
    count > 1 ? { ...check, where: `${check.where} (and ${count - 1} more)` } : check,
  );
}

/** The non-blank runs of text below `element`, outside `<style>`, `<script>` and `<title>`. */
function textsOf(element: HtmlElement): HtmlText[] {
  const texts: HtmlText[] = [];
  const walk = (node: HtmlNode) => {
    if (node.kind === 'text') {
      if (node.text.trim() !== '') texts.push(node);
    } else if (!['style', 'script', 'title', 'head'].includes(node.tag))
      node.children.forEach(walk);
  };
  walk(element);
  return texts;
}

interface Judged {
  ratio: number;
  large: boolean;
  /** The colours as written. */
  color: string;
  background: string;
}

function judge(text: HtmlText): Judged | undefined {
  const chain: HtmlElement[] = [];
  for (let element: HtmlElement | undefined = text.parent; element; element = element.parent) {
    chain.push(element);
  }
  if (chain.some(isHidden)) return undefined;
  const size = fontSizeOf(chain);
  if (size === 0) return undefined;

  const colorElement = chain.find((element) => colorOf(element) !== undefined);
  const written = colorElement && colorOf(colorElement);
  const foreground = written === undefined ? undefined : parseColor(written);
  if (!written || !foreground) return undefined;

  // Backgrounds from the text outwards, until an opaque one; then painted from the bottom up.
  const layers: { written: string; color: Rgba }[] = [];
  for (const element of chain) {
    const background = backgroundOf(element);
    if (background === 'unknown') return undefined;
    if (background === 'none' || background.color.a === 0) continue;
    layers.push(background);
    if (background.color.a === 1) break;
  }
  const bottom = layers.at(-1);
  if (bottom?.color.a !== 1) return undefined;
  const backdrop = layers
    .slice(0, -1)
    .reduceRight((under, layer) => blend(layer.color, under), bottom.color);

  const ratio = contrastRatio(blend(foreground, backdrop), backdrop);
  const large = size !== undefined && (size >= 24 || (size >= 18.66 && isBold(chain)));
  return {
    ratio,
    large,
    color: written,
    background: layers.map((layer) => layer.written).join(' over '),
  };
}

function isHidden(element: HtmlElement): boolean {
  if (element.attributes.hidden !== undefined) return true;
  const style = element.attributes.style;
  if (style === undefined) return false;
  const display = declaredValue(style, 'display')?.toLowerCase();
  const visibility = declaredValue(style, 'visibility')?.toLowerCase();
  const opacity = declaredValue(style, 'opacity');
  return (
    display === 'none' ||
    visibility === 'hidden' ||
    visibility === 'collapse' ||
    (opacity !== undefined && Number(opacity) === 0)
  );
}

/** The nearest font size in CSS pixels (`px`, `pt`); undefined when not known that way. */
function fontSizeOf(chain: HtmlElement[]): number | undefined {
  for (const element of chain) {
    const value = declaredValue(element.attributes.style, 'font-size')?.toLowerCase();
    if (value === undefined) continue;
    const match = /^(\d*\.?\d+)(px|pt)?$/.exec(value);
    if (!match) return undefined;
    const number = Number(match[1]);
    if (number === 0) return 0;
    return match[2] === 'pt' ? (number * 4) / 3 : match[2] === 'px' ? number : undefined;
  }
  return undefined;
}

function isBold(chain: HtmlElement[]): boolean {
  for (const element of chain) {
    const weight = declaredValue(element.attributes.style, 'font-weight')?.toLowerCase();
    if (weight !== undefined)
      return weight === 'bold' || weight === 'bolder' || Number(weight) >= 700;
    if (['b', 'strong', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th'].includes(element.tag))
      return true;
  }
  return false;
}

function colorOf(element: HtmlElement): string | undefined {
  const color = declaredValue(element.attributes.style, 'color');
  if (color !== undefined) return color;
  return element.tag === 'font' ? element.attributes.color : undefined;
}

/**
 * The element's own background: its colour as written and read, `none` when it has none, or
 * `unknown` when it cannot be read (an image, a gradient, a colour the parser does not know).
 */
function backgroundOf(element: HtmlElement): { written: string; color: Rgba } | 'none' | 'unknown' {
  const declarations = parseDeclarations(element.attributes.style ?? '');
  if (
    declarations.some(
      ({ property, value }) => property === 'background-image' && !/^none$/i.test(value),
    )
  ) {
    return 'unknown';
  }
  const last = declarations.findLast(
    ({ property }) => property === 'background' || property === 'background-color',
  );
  if (last) {
    if (last.property === 'background' && /url\(|gradient\(/i.test(last.value)) return 'unknown';
    const color =
      last.property === 'background' ? backgroundColorOf(last.value) : parseColor(last.value);
    if (color) return { written: last.value, color };
    return last.property === 'background' && /^none$/i.test(last.value) ? 'none' : 'unknown';
  }
  const bgcolor = element.attributes.bgcolor;
  if (bgcolor === undefined) return 'none';
  const color = parseColor(bgcolor);
  return color ? { written: bgcolor, color } : 'unknown';
}
