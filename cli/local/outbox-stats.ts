import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutboxRecord } from './ses-capture-proxy.ts';

/** What the local SES's outbox says about a send: who got what, and how fast. */
export interface OutboxStats {
  /** Messages accepted (records in the outbox). */
  messages: number;
  /** Messages per destination address. */
  perRecipient: Map<string, number>;
  /** Seconds from the first message accepted to the last. */
  seconds: number;
  /** Messages per second from the first to the last: (messages − 1) / seconds. */
  achievedRate: number;
  /** The most messages accepted in any one-second window. */
  worstSecond: number;
}

/**
 * Reads the outbox records (`acceptedAt` of each `.json`), optionally only those of one issue
 * (by its `issueId` tag).
 */
export async function outboxStats(outboxDir: string, issueId?: string): Promise<OutboxStats> {
  const names = (await readdir(outboxDir)).filter((name) => name.endsWith('.json'));
  const records: OutboxRecord[] = [];
  for (const name of names) {
    const record = JSON.parse(await readFile(path.join(outboxDir, name), 'utf8')) as OutboxRecord;
    if (!issueId || record.tags.issueId === issueId) records.push(record);
  }
  const perRecipient = new Map<string, number>();
  for (const record of records) {
    for (const address of record.destinations) {
      perRecipient.set(address, (perRecipient.get(address) ?? 0) + 1);
    }
  }
  const times = records.map((record) => Date.parse(record.acceptedAt)).sort((a, b) => a - b);
  const seconds = times.length > 1 ? ((times.at(-1) as number) - (times[0] as number)) / 1000 : 0;
  let worstSecond = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start++;
    worstSecond = Math.max(worstSecond, end - start + 1);
  }
  return {
    messages: records.length,
    perRecipient,
    seconds,
    achievedRate: seconds > 0 ? (times.length - 1) / seconds : 0,
    worstSecond,
  };
}
