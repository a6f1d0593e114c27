import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';

/**
 * The header lines of `raw` as the preview listed them while it parsed with mailparser: each
 * line unfolded, the value mailparser decoded for it where it gives one per line (text,
 * addresses as `text`), else the line as written. The reference that `messageHeaderLines`
 * (postal-mime) is held to.
 */
export async function mailparserHeaderLines(raw: Uint8Array | string): Promise<[string, string][]> {
  const mail = await simpleParser(typeof raw === 'string' ? raw : Buffer.from(raw));
  const seen = new Map<string, number>();
  return mail.headerLines.map(({ key, line }) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    return [name, key === 'references' ? value : (decoded(mail.headers.get(key), nth) ?? value)];
  });
}

function decoded(value: HeaderValue | undefined, nth: number): string | undefined {
  const one: unknown = Array.isArray(value) ? value[nth] : nth === 0 ? value : undefined;
  if (typeof one === 'string') return one;
  if (typeof one === 'object' && one !== null && typeof (one as AddressObject).text === 'string') {
    return (one as AddressObject).text;
  }
  return undefined;
}
