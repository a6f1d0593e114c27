import type { AddressObject, ParsedMail } from 'mailparser';

/**
 * The header lines of a parsed message in order, each unfolded: the decoded value where
 * mailparser gives one per line (text, addresses), else the line as written (dates, content
 * types, `List-*`, `Message-ID`).
 */
export function messageHeaderLines(mail: ParsedMail): [string, string][] {
  const seen = new Map<string, number>();
  return mail.headerLines.map(({ key, line }) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const raw = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    return [name, key === 'references' ? raw : (decoded(mail.headers.get(key), nth) ?? raw)];
  });
}

function decoded(value: unknown, nth: number): string | undefined {
  const one = Array.isArray(value) ? value[nth] : nth === 0 ? value : undefined;
  if (typeof one === 'string') return one;
  if (isAddressObject(one)) return one.text;
  return undefined;
}

function isAddressObject(value: unknown): value is AddressObject {
  return (
    typeof value === 'object' && value !== null && typeof (value as AddressObject).text === 'string'
  );
}
