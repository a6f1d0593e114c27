/**
 * `markup` placed at the start of the document's `<head>`: after `<head …>`, else after
 * `<html …>` (a head without its tag), else at the very start. The preview's copies of the
 * HTML get their `<base>` and their view's styles this way; the message itself is never
 * changed.
 */
export function injectIntoHead(html: string, markup: string): string {
  for (const tag of [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i]) {
    const match = tag.exec(html);
    if (match) {
      const end = match.index + match[0].length;
      return `${html.slice(0, end)}${markup}${html.slice(end)}`;
    }
  }
  return `${markup}${html}`;
}

/** `markup` placed at the end of the `<head>` (before `</head>`), else as `injectIntoHead`. */
export function injectAtHeadEnd(html: string, markup: string): string {
  const close = /<\/head\s*>/i.exec(html);
  if (!close) return injectIntoHead(html, markup);
  return `${html.slice(0, close.index)}${markup}${html.slice(close.index)}`;
}
