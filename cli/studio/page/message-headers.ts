import type { PreviewAnswer } from './api-types.ts';

/** One header of the message as the headers view shows it, and where the page got it. */
export interface HeaderRow {
  name: string;
  value: string;
  /**
   * `answer`: given by the preview answer; `html`: read from the message's HTML; `fixed`: the
   * same in every issue (`buildMessage`); `unknown`: the answer does not give it.
   */
  source: 'answer' | 'html' | 'fixed' | 'unknown';
}

/**
 * The headers the real send will carry. A preview answer with `headers` gives them as they
 * are. Without, they are derived as far as the answer allows: the subject, the one-click
 * unsubscribe headers (`List-Unsubscribe` is the HTML's unsubscribe link, the very address
 * `buildMessage` puts there) and the fixed ones; the sender, the list's id and the message
 * id are not in the answer, and say so.
 */
export function messageHeaders(preview: PreviewAnswer): HeaderRow[] {
  if (preview.headers && preview.headers.length > 0) {
    return preview.headers.map(([name, value]) => ({ name, value, source: 'answer' }));
  }
  const unsubscribe = unsubscribeLink(preview.html);
  const rows: HeaderRow[] = [
    preview.from
      ? { name: 'From', value: `${preview.from.name} <${preview.from.address}>`, source: 'answer' }
      : { name: 'From', value: "the list's name and fromEmail", source: 'unknown' },
    { name: 'To', value: "the recipient's address", source: 'unknown' },
    { name: 'Subject', value: preview.subject, source: 'answer' },
    { name: 'Message-ID', value: '<a token per recipient @ listId>', source: 'unknown' },
    { name: 'List-Id', value: "the list's name <listId>", source: 'unknown' },
    unsubscribe
      ? { name: 'List-Unsubscribe', value: `<${unsubscribe}>`, source: 'html' }
      : {
          name: 'List-Unsubscribe',
          value: 'no unsubscribe link found in the HTML',
          source: 'unknown',
        },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click', source: 'fixed' },
    { name: 'MIME-Version', value: '1.0', source: 'fixed' },
    {
      name: 'Content-Type',
      value: 'multipart/alternative: text/plain, then text/html (both quoted-printable)',
      source: 'fixed',
    },
  ];
  return rows;
}

/**
 * The first link of `html` whose path ends with `/unsubscribe` (as `unsubscribeUrl` makes it),
 * with its HTML character references decoded; undefined when there is none.
 */
export function unsubscribeLink(html: string): string | undefined {
  for (const match of html.matchAll(/\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = decodeReferences(match[1] ?? match[2] ?? '');
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      continue; // Not an absolute address: not the unsubscribe link.
    }
    if (url.pathname.endsWith('/unsubscribe')) return href;
  }
  return undefined;
}

const named: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** `&amp;`, `&#38;`, `&#x26;` and the like decoded; unknown names kept. */
export function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (reference, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) {
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    }
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    return named[body.toLowerCase()] ?? reference;
  });
}
