import { readdir } from 'node:fs/promises';

/**
 * What an outbox message's id may be: the base name the local SES gives its files
 * (`<time>-<sequence>-<MessageId>`), letters, digits and hyphens only, so that an id can
 * never name a file outside the outbox (no `/`, no `.`).
 */
export const OUTBOX_ID = /^[A-Za-z0-9-]{1,200}$/;

/**
 * The ids of the messages the local SES accepted (those with a `.json` record), newest first;
 * none when the outbox folder does not exist yet.
 */
export async function outboxIds(outboxDir: string): Promise<string[]> {
  const names = await readdir(outboxDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => OUTBOX_ID.test(id))
    .sort()
    .reverse();
}
