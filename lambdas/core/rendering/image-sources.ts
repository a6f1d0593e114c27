import { decodeAttribute } from './decode-attribute.ts';

/** An `<img>` tag, quoted attribute values read whole (a `>` inside quotes does not end it). */
const imgTag = /<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const attribute = /([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

/**
 * The addresses of the images an HTML document loads (each `<img src>`), decoded as a
 * browser reads them, each once, in order of first appearance. What a reader's client
 * downloads on opening the issue, whichever template wrote the tags.
 */
export function imageSources(html: string): string[] {
  const sources = new Set<string>();
  for (const [, attributes = ''] of html.matchAll(imgTag)) {
    for (const [, name = '', quoted] of attributes.matchAll(attribute)) {
      if (name.toLowerCase() !== 'src' || quoted === undefined) continue;
      const value = decodeAttribute(quoted.replace(/^["']|["']$/g, '')).trim();
      if (value !== '') sources.add(value);
      break;
    }
  }
  return [...sources];
}
