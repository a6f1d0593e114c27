import type { Issue } from './ports.ts';

/**
 * Whether the issue has a canary that has not ended: its `held` recipients are then neither
 * enqueued nor claimed.
 */
export function canaryHolds(issue: Pick<Issue, 'canary'>): boolean {
  return issue.canary !== undefined && issue.canary.endedAt === undefined;
}
