/**
 * The links SES's click tracking would rewrite in a raw message: the `http:` and `https:`
 * addresses of the anchors of its HTML part(s), in order, without those marked
 * `ses:no-track` (the unsubscribe link). None for a message without HTML. The HTML is read
 * from the MIME structure nodemailer writes (multipart, quoted-printable or base64).
 */
export function trackedLinksOf(raw: Buffer): string[] {
  const links: string[] = [];
  for (const html of htmlBodies(raw.toString('latin1'))) {
    for (const anchor of html.matchAll(/<a\b([^>]*)>/gi)) {
      const attributes = anchor[1] ?? '';
      if (/(^|\s)ses:no-track(\s|=|$)/i.test(attributes)) continue;
      const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
      const link = decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '');
      if (/^https?:\/\//i.test(link)) links.push(link);
    }
  }
  return links;
}

/** The decoded text of every `text/html` part of a MIME entity (given as latin1). */
function htmlBodies(entity: string): string[] {
  const end = /\r?\n\r?\n/.exec(entity);
  const head = end ? entity.slice(0, end.index) : entity;
  const body = end ? entity.slice(end.index + end[0].length) : '';
  const headers = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const header = (name: string) =>
    headers
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const type = header('content-type') ?? 'text/plain';
  if (/^multipart\//i.test(type)) {
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type);
    const marker = boundary?.[1] ?? boundary?.[2];
    if (!marker) return [];
    return body
      .split(`--${marker}`)
      .slice(1)
      .filter((part) => !part.startsWith('--'))
      .flatMap((part) => htmlBodies(part.replace(/^\r?\n/, '')));
  }
  if (!/^text\/html/i.test(type)) return [];
  const encoding = (header('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return [Buffer.from(body, 'base64').toString('utf8')];
  const bytes =
    encoding === 'quoted-printable'
      ? body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
            String.fromCharCode(Number.parseInt(hex, 16)),
          )
      : body;
  return [Buffer.from(bytes, 'latin1').toString('utf8')];
}

/** The few entities an address in an attribute holds. */
function decodeEntities(text: string): string {
  // `&amp;` last, so that `&amp;quot;` stays the text `&quot;`.
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) =>
      String.fromCodePoint(Number.parseInt(hex, 16)),
    )
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
