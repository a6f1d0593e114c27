import type { Issue } from '#core/issues/ports.ts';
import type { BrokenLinksDeps } from '#core/keys/estimate-broken-links.ts';
import type { SendCounts } from '#core/sending/ports.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemoryLinkKeys } from '../fakes/memory-link-keys.ts';
import { MemoryIssueStore } from '../fakes/memory-stores.ts';

const none: SendCounts = {
  queued: 0,
  held: 0,
  claimed: 0,
  unknown: 0,
  sent: 0,
  failed: 0,
  suppressed: 0,
  cancelled: 0,
};

/** An issue as stored, its sending from `startedAt` to its `sent` entry at `sentAt`. */
export function sentIssue(issueId: string, startedAt: string, sentAt?: string): Issue {
  return storedIssue(issueId, {
    state: sentAt === undefined ? 'sending' : 'sent',
    createdAt: startedAt,
    startedAt,
    timeline: [
      { at: startedAt, actor: 'cli:editor', action: 'send' },
      ...(sentAt === undefined ? [] : [{ at: sentAt, actor: 'sender', action: 'sent' }]),
    ],
  });
}

/**
 * What estimating reads, on an in-memory issue store holding `issues` and a ledger whose
 * counts are `counts[issueId]` (nothing else counted), at `now`.
 */
export async function brokenLinksDeps(
  issues: Issue[],
  counts: Record<string, Partial<SendCounts>>,
  now: string,
): Promise<BrokenLinksDeps & { issues: MemoryIssueStore }> {
  const store = new MemoryIssueStore();
  for (const issue of issues) await store.create(issue);
  return {
    issues: store,
    ledger: { counts: async (issueId) => ({ ...none, ...counts[issueId] }) },
    confirmLinkHours: 48,
    now: () => new Date(now),
  };
}

/** Link keys in memory holding kid "0" and then each of `kids`, added oldest first. */
export async function linkKeysWith(...kids: string[]): Promise<MemoryLinkKeys> {
  const store = new MemoryLinkKeys();
  for (const kid of kids) await store.add(kid, new Date());
  return store;
}

/** The kids a store holds, sorted as text. */
export function kidsOf(store: MemoryLinkKeys): string[] {
  return [...store.keys.byKid.keys()].sort();
}
