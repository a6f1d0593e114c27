import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';

/** One message the local SES accepted: its record and the parsed message. */
export interface OutboxMessage {
  record: OutboxRecord;
  mail: ParsedMail;
  /** The `List-Unsubscribe` URL, without its angle brackets. */
  listUnsubscribe?: string;
}

/** Every message in the state folder's outbox, oldest first (none when it has no outbox). */
export async function readOutbox(home: string): Promise<OutboxMessage[]> {
  const dir = join(home, 'outbox');
  const names = (await readdir(dir).catch(() => []))
    .filter((name) => name.endsWith('.json'))
    .sort();
  const messages: OutboxMessage[] = [];
  for (const name of names) {
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    const mail = await simpleParser(await readFile(join(dir, name.replace(/\.json$/, '.eml'))));
    const line = mail.headerLines.find((header) => header.key === 'list-unsubscribe')?.line;
    const listUnsubscribe = line && /<([^>]+)>/.exec(line)?.[1];
    messages.push({ record, mail, ...(listUnsubscribe ? { listUnsubscribe } : {}) });
  }
  return messages;
}

/**
 * The messages of the outbox once `done` holds for them, read every 200 ms (confirmations go
 * out a few seconds after a sign-up); the last ones read when `seconds` have passed.
 */
export async function outboxOnce(
  home: string,
  done: (messages: OutboxMessage[]) => boolean,
  seconds = 20,
): Promise<OutboxMessage[]> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const messages = await readOutbox(home);
    if (done(messages) || Date.now() > deadline) return messages;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
