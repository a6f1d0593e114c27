import type { HtmlElement } from './parse-html.ts';

/**
 * A short description of an element for a finding's `where`: its tag, with a few telling
 * attributes, e.g. `<img src="https://img.example.com/lead.jpg">`. An address is shown
 * without its query, which may hold a recipient's token.
 */
export function describeElement(element: HtmlElement): string {
  const shown = ['href', 'src', 'class']
    .filter((name) => element.attributes[name] !== undefined)
    .map((name) => {
      const value = element.attributes[name] ?? '';
      return ` ${name}="${shorten(name === 'class' ? value : withoutQuery(value), 60)}"`;
    })
    .join('');
  return `<${element.tag}${shown}>`;
}

/** An address without its query and fragment: `…/unsubscribe?token=…` → `…/unsubscribe?…`. */
function withoutQuery(address: string): string {
  const cut = address.search(/[?#]/);
  return cut < 0 ? address : `${address.slice(0, cut)}${address[cut]}…`;
}

/** `text` cut to at most `length` characters, with `…` when cut. */
export function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
