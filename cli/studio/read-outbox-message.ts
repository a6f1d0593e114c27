import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { OUTBOX_ID } from './outbox-names.ts';

/** One outbox message as a mail client shows it. */
export interface OutboxMessage {
  id: string;
  /** Every header line in order, unfolded: `[name, value]`, values decoded where parsed. */
  headers: [string, string][];
  subject: string;
  from: string;
  to: string;
  /** The HTML part (`cid:` images as `data:` URLs), or empty when it has none. */
  html: string;
  text: string;
}

/**
 * The message of the outbox with this id, parsed with mailparser; undefined when the id is
 * not that of a message the local SES accepted (one with its `.json` record). An id is
 * letters, digits and hyphens (`OUTBOX_ID`), so it names a file of the outbox folder and
 * nowhere else.
 */
export async function readOutboxMessage(
  outboxDir: string,
  id: string,
): Promise<OutboxMessage | undefined> {
  const folder = resolve(outboxDir);
  const base = resolve(folder, id);
  if (!OUTBOX_ID.test(id) || dirname(base) !== folder) return undefined;
  const accepted = await access(`${base}.json`).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!accepted) return undefined;
  const mail = await simpleParser(await readFile(`${base}.eml`));
  return {
    id,
    headers: headersOf(mail),
    subject: mail.subject ?? '',
    from: mail.from?.text ?? '',
    to: addressText(mail.to),
    html: mail.html || '',
    text: mail.text ?? '',
  };
}

/**
 * The header lines in order, each unfolded: the decoded value where mailparser gives one per
 * line (text, addresses), else the line as written (dates, content types, `List-*`).
 */
function headersOf(mail: ParsedMail): [string, string][] {
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

function addressText(to: AddressObject | AddressObject[] | undefined): string {
  if (to === undefined) return '';
  return (Array.isArray(to) ? to : [to]).map((each) => each.text).join(', ');
}
