import { domainToUnicode } from 'node:url';
import PostalMime, { type Address, addressParser, decodeWords } from 'postal-mime';

/**
 * One header line as a parser gives it: its lowercase name, and the line as written, name
 * included, folds kept. postal-mime's `Email` and mailparser's `ParsedMail` both carry these
 * as `headerLines` (mailparser's as bytes read as latin1: the same text for the ASCII headers
 * a message built by `buildMessage` has).
 */
export interface HeaderLine {
  key: string;
  line: string;
}

/** Headers whose value is a list of addresses, shown as text. */
const ADDRESS_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'delivered-to',
  'return-path',
  'disposition-notification-to',
]);

/** Headers whose value is a message id (`<…>`), its encoded words decoded. */
const ID_HEADERS = new Set(['message-id', 'in-reply-to']);

/** An RFC 2047 encoded word. */
const ENCODED_WORD = /=\?[^?]+\?[BbQq]\?[^?]*\?=/;

/**
 * The header block of `raw` (a whole message, or its header block alone) parsed with
 * postal-mime, as `messageHeaderLines` lists it.
 */
export async function parseHeaderLines(raw: Uint8Array | string): Promise<[string, string][]> {
  return messageHeaderLines(await PostalMime.parse(raw));
}

/**
 * The header lines of a parsed message in order, each unfolded: the decoded value for text
 * (`Subject`: RFC 2047 encoded words), message ids (`Message-ID`, `In-Reply-To`) and
 * addresses (`From`, `To`…, as text: `"Name" <address>`, the name decoded and a punycode
 * domain shown in Unicode), else the line as written (dates, content types, `List-*`,
 * `References`, `MIME-Version`). These are the values mailparser gave for the same lines,
 * but for a header that occurs twice where mailparser decoded the first only (`Subject`,
 * `Message-ID`, `From`): each line is decoded on its own.
 */
export function messageHeaderLines(mail: {
  headerLines: readonly HeaderLine[];
}): [string, string][] {
  return mail.headerLines.map(({ key, line }) => {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const raw = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    return [name, headerValue(key, raw)];
  });
}

/** One unfolded header value as shown: decoded where its header is text, an id or addresses. */
export function headerValue(key: string, raw: string): string {
  if (key === 'subject') return decodeWords(raw);
  if (ID_HEADERS.has(key)) return messageIdFormat(decodeWords(raw));
  if (ADDRESS_HEADERS.has(key)) return addressesText(addressParser(raw));
  return raw;
}

/** An id in angle brackets, added where missing; empty stays empty. */
function messageIdFormat(id: string): string {
  if (id === '') return id;
  return `${id.startsWith('<') ? '' : '<'}${id}${id.endsWith('>') ? '' : '>'}`;
}

/**
 * Addresses as text: `"Name" <address>` (the name a quoted-string), the bare address when
 * nameless, a group as `"Name": members;`, separated by `, `.
 */
function addressesText(addresses: Address[]): string {
  return addresses
    .map((each) => {
      const name = each.name.trim();
      const quoted = name ? `"${name.replace(/["\\]/g, '\\$&')}"` : '';
      if (each.group) return `${quoted}${name ? ': ' : ''}${addressesText(each.group)};`;
      const address = shownAddress(each.address);
      if (!address) return quoted;
      return name ? `${quoted} <${address}>` : address;
    })
    .join(', ');
}

/**
 * The address as shown: an encoded word in it (which RFC 2047 keeps out of addresses) is
 * decoded only when that gives a plain `local@domain`, else the address is dropped; a domain
 * whose first label is punycode (`@xn--…`) is shown in Unicode.
 */
function shownAddress(address: string): string {
  let shown = address;
  if (ENCODED_WORD.test(shown)) {
    const decoded = decodeWords(shown);
    shown = /^[^\s@]+@[^\s@]+$/.test(decoded) && !decoded.includes('=?') ? decoded : '';
  }
  if (!/@xn--/.test(shown)) return shown;
  const at = shown.lastIndexOf('@');
  const labels = shown
    .slice(at + 1)
    .split('.')
    .map((label) => (label.startsWith('xn--') ? domainToUnicode(label) || label : label));
  return `${shown.slice(0, at + 1)}${labels.join('.')}`;
}
