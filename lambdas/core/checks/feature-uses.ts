import { type AtRule, type Declaration as CssDeclaration, parse, type Rule } from 'postcss';
import type { CaniemailFeature } from './caniemail/read-caniemail.ts';
import { describeElement, shorten } from './describe-element.ts';
import { type Declaration, parseDeclarations } from './parse-declarations.ts';
import type { HtmlDocument, HtmlElement } from './parse-html.ts';

/** One place where the HTML uses a caniemail feature. */
export interface FeatureUse {
  /** caniemail's slug, e.g. `css-display-flex`. */
  feature: string;
  /** Where: the element, property or rule, e.g. `display:flex on <div class="row">`. */
  where: string;
}

/** HTML5's sectioning and text-level elements that caniemail's `html-semantics` covers. */
const semanticElements = new Set(
  'article aside details figcaption figure footer header main mark nav section summary time'.split(
    ' ',
  ),
);

/** Image formats by file extension, as caniemail's `image-*` slugs name them. */
const imageFormats: Record<string, string> = {
  jpg: 'jpg',
  jpeg: 'jpg',
  png: 'png',
  apng: 'apng',
  gif: 'gif',
  webp: 'webp',
  avif: 'avif',
  svg: 'svg',
  bmp: 'bmp',
  tif: 'tiff',
  tiff: 'tiff',
  ico: 'ico',
  heif: 'heif',
  heic: 'heif',
  hdr: 'hdr',
  mp4: 'mp4',
};

/** CSS functions whose slug is not `css-<name>` or `css-function-<name>`. */
const functionFeatures: Record<string, string> = {
  calc: 'css-unit-calc',
  var: 'css-variables',
  lch: 'css-modern-color',
  oklch: 'css-modern-color',
  lab: 'css-modern-color',
  oklab: 'css-modern-color',
  'repeating-linear-gradient': 'css-linear-gradient',
  'repeating-radial-gradient': 'css-radial-gradient',
  'repeating-conic-gradient': 'css-conic-gradient',
};

/**
 * The caniemail features that the HTML uses, one entry per place, found by these rules:
 * - an element `<x>`: `html-x` when caniemail has it as an element (its title is not about an
 *   attribute), and the groups `html-h1-h6`, `html-lists`, `html-semantics`, `html-svg`,
 *   `html-image-maps`, `html-input-<type>`, `html-button-<type>`;
 * - an attribute `x`: `html-x` when caniemail's title says it is an attribute (`aria-*`,
 *   `align`, `width`…), `loading` and `srcset`/`sizes`; `style` is read as CSS below;
 * - a `mailto:` or `#` link, the color-scheme `<meta>`, the HTML5 doctype, an image's format
 *   by its file extension (`image-webp`…) or a `data:` image (`image-base64`);
 * - every CSS declaration, inline or in a `<style>` element: the property (`css-<property>`,
 *   a side of `margin`/`padding`/`border` as the whole, a corner of `border-radius` as
 *   `border-radius`), some values (`display:flex`, `display:grid`, `display:none`,
 *   `flex-direction:column`, `flex-wrap:wrap`), functions (`linear-gradient()`, `calc()`,
 *   `var()`…), units (`rem`, `%`…), `!important`, system fonts and custom properties;
 * - in `<style>`: at-rules (`css-at-<name>`), media features (`css-at-media-<feature>`), and
 *   pseudo-classes and pseudo-elements. Selectors and combinators are not judged one by one:
 *   a client without `<style>` support is reported for `html-style`.
 * HTML inside comments (MJML's `<!--[if mso]>` blocks for Outlook) is not read.
 * @param features caniemail's features by slug: only slugs found there are returned
 */
export function featureUses(
  document: HtmlDocument,
  features: Record<string, CaniemailFeature>,
): FeatureUse[] {
  const uses: FeatureUse[] = [];
  const add = (feature: string, where: string) => {
    if (features[feature]) uses.push({ feature, where });
  };
  const isAttributeFeature = (slug: string) => /\battributes?\b/.test(features[slug]?.title ?? '');

  if (document.doctype !== undefined && /^!doctype\s+html\s*$/i.test(document.doctype)) {
    add('html-doctype', '<!doctype html>');
  }
  for (const element of document.elements) {
    const tag = element.tag;
    const described = describeElement(element);
    for (const slug of elementFeatures(element)) {
      if (!isAttributeFeature(slug)) add(slug, described);
    }
    for (const name of Object.keys(element.attributes)) {
      if (name === 'style') continue;
      const slug =
        name === 'loading'
          ? 'html-loading-attribute'
          : name === 'srcset' || name === 'sizes'
            ? 'html-srcset'
            : `html-${name}`;
      if (isAttributeFeature(slug)) add(slug, `${name} on ${described}`);
    }
    const href = element.attributes.href?.trim();
    if (tag === 'a' && href !== undefined) {
      if (/^mailto:/i.test(href)) add('html-mailto-links', described);
      if (href.startsWith('#')) add('html-anchor-links', described);
    }
    if (tag === 'meta' && element.attributes.name?.toLowerCase() === 'color-scheme') {
      add('html-meta-color-scheme', '<meta name="color-scheme">');
    }
    if (tag === 'img' && element.attributes.src !== undefined) {
      const format = imageFormatOf(element.attributes.src);
      if (format) add(`image-${format}`, described);
    }
    const style = element.attributes.style;
    if (style !== undefined) {
      for (const declaration of parseDeclarations(style)) {
        for (const slug of declarationFeatures(declaration)) {
          add(
            slug,
            `${shorten(`${declaration.property}:${declaration.value}`, 60)} on ${described}`,
          );
        }
      }
    }
    if (tag === 'style') {
      const css = element.children
        .map((child) => (child.kind === 'text' ? child.text : ''))
        .join('');
      for (const use of stylesheetUses(css)) add(use.feature, use.where);
    }
  }
  return uses;
}

/** The element features an element stands for. */
function elementFeatures(element: HtmlElement): string[] {
  const tag = element.tag;
  const slugs = [`html-${tag}`];
  if (/^h[1-6]$/.test(tag)) slugs.push('html-h1-h6');
  if (['ul', 'ol', 'dl'].includes(tag)) slugs.push('html-lists');
  if (semanticElements.has(tag)) slugs.push('html-semantics');
  if (tag === 'map' || tag === 'area' || element.attributes.usemap !== undefined) {
    slugs.push('html-image-maps');
  }
  if (tag === 'input')
    slugs.push(`html-input-${(element.attributes.type ?? 'text').toLowerCase()}`);
  if (tag === 'button') {
    slugs.push(`html-button-${(element.attributes.type ?? 'submit').toLowerCase()}`);
  }
  return slugs;
}

function imageFormatOf(src: string): string | undefined {
  const address = src.trim();
  if (/^data:/i.test(address)) return 'base64';
  const path = address.replace(/[?#].*$/, '');
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : imageFormats[extension];
}

/** The features one declaration uses, by the rules of `featureUses`. */
function declarationFeatures({ property, value, important }: Declaration): string[] {
  const slugs: string[] = [];
  const lower = value.toLowerCase();
  if (property.startsWith('--')) slugs.push('css-variables');
  else {
    slugs.push(`css-${property}`);
    const side = /^(margin|padding|border)-(top|right|bottom|left)$/.exec(property);
    if (side) slugs.push(`css-${side[1]}`);
    if (/^border-(top|bottom)-(left|right)-radius$/.test(property)) slugs.push('css-border-radius');
    if (['column-gap', 'row-gap'].includes(property)) slugs.push('css-gap');
    if (['left', 'right', 'top', 'bottom'].includes(property))
      slugs.push('css-left-right-top-bottom');
    if (['block-size', 'inline-size'].includes(property)) slugs.push('css-block-inline-size');
  }
  if (property === 'display') {
    const shown =
      /^(?:inline-)?(flex|grid)$/.exec(lower)?.[1] ?? (lower === 'none' ? 'none' : undefined);
    if (shown) slugs.push(`css-display-${shown}`);
  }
  if (property === 'flex-direction' && lower.startsWith('column')) slugs.push('css-flex-direction');
  if (property === 'flex-wrap' && lower.startsWith('wrap')) slugs.push('css-flex-wrap');
  if (
    property === 'font-family' &&
    /\b(system-ui|ui-serif|ui-sans-serif|ui-rounded|ui-monospace)\b/.test(lower)
  ) {
    slugs.push('css-sytem-ui');
  }
  if (/\b(fit-content|min-content|max-content)\b/.test(lower)) slugs.push('css-intrinsic-size');
  if (/^initial$/.test(lower)) slugs.push('css-unit-initial');
  for (const [, name = ''] of lower.matchAll(/([a-z-]+)\(/g)) {
    slugs.push(functionFeatures[name] ?? `css-${name}`, `css-function-${name}`);
  }
  // Units after a number, outside of addresses such as url(a.5in.png): the number must start a word.
  const withoutUrls = lower.replace(/url\([^)]*\)/g, '');
  for (const [, unit = ''] of withoutUrls.matchAll(
    /(?:^|[\s,(/*+-])[+-]?(?:\d*\.)?\d+(rem|em|ex|ch|vw|vh|vmin|vmax|px|pt|pc|cm|mm|in|%)(?![a-z%])/g,
  )) {
    slugs.push(`css-unit-${unit === '%' ? 'percent' : unit}`);
  }
  if (important) slugs.push('css-important');
  return [...new Set(slugs)];
}

/** The features a `<style>` element's CSS uses; CSS that cannot be parsed gives none. */
function stylesheetUses(css: string): FeatureUse[] {
  const uses: FeatureUse[] = [];
  let root: ReturnType<typeof parse>;
  try {
    root = parse(css);
  } catch {
    return uses;
  }
  root.walk((node) => {
    if (node.type === 'atrule') {
      const rule = node as AtRule;
      const name = rule.name.toLowerCase().replace(/^-webkit-/, '');
      const where = `@${shorten(`${rule.name} ${rule.params}`.trim(), 60)} in <style>`;
      uses.push({ feature: `css-at-${name}`, where });
      if (name === 'media') {
        for (const [, feature = ''] of rule.params
          .toLowerCase()
          .matchAll(/\(\s*(?:-webkit-)?(?:min-|max-)?(?:-webkit-)?([a-z-]+)/g)) {
          uses.push({ feature: `css-at-media-${feature.replace(/^any-/, '')}`, where });
        }
      }
    } else if (node.type === 'rule') {
      const rule = node as Rule;
      const where = `${shorten(rule.selector, 60)} in <style>`;
      const selector = rule.selector.replace(/\[[^\]]*\]|"[^"]*"|'[^']*'/g, '');
      for (const [, colons = '', name = ''] of selector.toLowerCase().matchAll(/(::?)([a-z-]+)/g)) {
        const pseudoElement =
          colons === '::' || ['before', 'after', 'first-letter', 'first-line'].includes(name);
        uses.push({
          feature: pseudoElement ? `css-pseudo-element-${name}` : `css-pseudo-class-${name}`,
          where,
        });
      }
    } else if (node.type === 'decl') {
      const declaration = node as CssDeclaration;
      const parent = declaration.parent;
      const scope =
        parent?.type === 'rule'
          ? (parent as Rule).selector
          : parent?.type === 'atrule'
            ? `@${(parent as AtRule).name}`
            : '';
      const where = `${shorten(`${declaration.prop}:${declaration.value}`, 60)} in ${shorten(scope, 40)} in <style>`;
      const parsed: Declaration = {
        property: declaration.prop.startsWith('--')
          ? declaration.prop
          : declaration.prop.toLowerCase(),
        value: declaration.value,
        important: declaration.important === true,
      };
      for (const feature of declarationFeatures(parsed)) uses.push({ feature, where });
    }
  });
  return uses;
}
