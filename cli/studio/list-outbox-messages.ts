import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { OutboxRecord } from '../local/ses-capture-proxy.ts';
import { outboxIds } from './outbox-names.ts';

/** One message of the outbox list. */
export interface OutboxEntry {
  id: string;
  /** The addresses the message was sent to (the call's `Destinations`). */
  to: string[];
  subject: string;
  /** When the local SES accepted it (ISO 8601, UTC). */
  at: string;
  /** The message tags of the call: `issueId`, or `purpose=test` and `testOf` of a test send… */
  tags: Record<string, string>;
}

/** The most bytes of a message read for its headers; ours are a few hundred. */
const HEAD_BYTES = 64 * 1024;

/**
 * The newest `limit` messages the local SES accepted, newest first, each with its subject as
 * a mail client shows it (decoded by mailparser from the message's headers, the body unread).
 */
export async function listOutboxMessages(outboxDir: string, limit: number): Promise<OutboxEntry[]> {
  const ids = (await outboxIds(outboxDir)).slice(0, limit);
  return Promise.all(
    ids.map(async (id) => {
      const record = JSON.parse(
        await readFile(join(outboxDir, `${id}.json`), 'utf8'),
      ) as OutboxRecord;
      const head = await simpleParser(await headOf(join(outboxDir, `${id}.eml`)));
      return {
        id,
        to: record.destinations,
        subject: head.subject ?? '',
        at: record.acceptedAt,
        tags: record.tags,
      };
    }),
  );
}

/** The header block of a raw message, up to the blank line that ends it. */
async function headOf(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const read = buffer.subarray(0, bytesRead);
    const end = read.indexOf('\r\n\r\n');
    return end < 0 ? read : read.subarray(0, end + 4);
  } finally {
    await handle.close();
  }
}
