import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import { messageHeaderLines } from '#core/sending/message-header-lines.ts';
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
    headers: messageHeaderLines(mail),
    subject: mail.subject ?? '',
    from: mail.from?.text ?? '',
    to: addressText(mail.to),
    html: mail.html || '',
    text: mail.text ?? '',
  };
}

function addressText(to: AddressObject | AddressObject[] | undefined): string {
  if (to === undefined) return '';
  return (Array.isArray(to) ? to : [to]).map((each) => each.text).join(', ');
}
