import { formatCount } from '../common/format-count.ts';
import { describeBothZones } from '../schedule/format-both-zones.ts';
import type { SendLedger, SendRecord } from '../sending/ports.ts';
import type { Issue } from './ports.ts';
import type { PrepareDeps } from './prepare-issue.ts';
import { WorkList } from './work-list.ts';

/** Who starts and ends a canary, in the issue's timeline. */
export const CANARY_ACTOR = 'canary';

/** Conditional writes under way at once while the canary's recipients are moved. */
const PICKS_IN_FLIGHT = 16;

/** What starting a canary needs. */
export type StartCanaryDeps = Pick<
  PrepareDeps,
  'config' | 'ledger' | 'issues' | 'queue' | 'now' | 'random'
>;

/**
 * How many recipients a canary of `percent` goes to when `held` are held back: that share,
 * rounded up, but at least `minimum` (`pauseMinOutcomes`, the fewest messages whose bounces
 * can pause an issue) and at most all of them.
 */
export function canarySize(held: number, percent: number, minimum: number): number {
  return Math.min(held, Math.max(Math.ceil((held * percent) / 100), minimum));
}

/**
 * Starts the canary of an issue whose list is prepared, its active subscribers all `held`:
 * counts them (N), then one conditional write (from `sending`, while the canary's recipients
 * are not picked yet) records how many it goes to (`canarySize`) and until when the others
 * wait (`canaryWaitMinutes` from now), with a timeline entry; of two processes starting it
 * at once, one wins. That one then picks its recipients uniformly at random in one pass over
 * the ledger (selection sampling), moves each from `held` to `queued` with a conditional
 * write and enqueues them. When the canary would go to everyone, the write ends it at once
 * and everyone is enqueued.
 * @returns how many recipients were enqueued (0 when the issue is not sending, or its canary
 *   was started or ended by another process)
 */
export async function startCanary(deps: StartCanaryDeps, issue: Issue): Promise<number> {
  const canary = issue.canary;
  if (!canary) return 0;
  const held = await countHeld(deps.ledger, issue.issueId);
  const recipients = canarySize(held, canary.percent, deps.config.pauseMinOutcomes);
  const now = deps.now();
  const at = now.toISOString();
  const everyone = recipients === held;
  const until = new Date(now.getTime() + deps.config.canaryWaitMinutes * 60_000);
  const started = await deps.issues.move(issue.issueId, {
    from: ['sending'],
    to: 'sending',
    canary: 'unpicked',
    changes: {
      canary: {
        ...canary,
        recipients,
        ...(everyone ? { endedAt: at } : { until: until.toISOString() }),
      },
    },
    entry: {
      at,
      actor: CANARY_ACTOR,
      action: 'canary',
      detail: everyone
        ? `canary: all ${formatCount(held)} recipients at once, no wait`
        : `canary: ${formatCount(recipients)} of ${formatCount(held)} recipients; the rest from ${describeBothZones(until, 'UTC')}`,
    },
  });
  if (!started) return 0;
  // A crash from here on leaves a smaller canary (those picked so far, or none): the records
  // not picked stay `held`, and go with the rest when the canary ends.
  return pickRecipients(deps, started, held, recipients);
}

/**
 * Picks `recipients` of the issue's `held` records, each set of that size as likely as any
 * other, in one pass (Knuth's selection sampling: a record is picked with the chance of
 * picks still wanted ÷ held records not yet looked at), moves them to `queued` and enqueues
 * them. A record moved meanwhile (a cancel) is not replaced; one added since `held` was
 * counted is picked only while picks are still wanted at the end.
 * @returns how many were moved and enqueued
 */
async function pickRecipients(
  deps: StartCanaryDeps,
  issue: Issue,
  held: number,
  recipients: number,
): Promise<number> {
  const random = deps.random ?? Math.random;
  const list = new WorkList(deps, issue);
  let seen = 0;
  let wanted = recipients;
  for await (const records of deps.ledger.pages(issue.issueId)) {
    if (wanted === 0) break;
    const picked: SendRecord[] = [];
    for (const record of records) {
      if (record.status !== 'held' || wanted === 0) continue;
      const left = held - seen++;
      if (left * random() < wanted) {
        picked.push(record);
        wanted--;
      }
    }
    for (let start = 0; start < picked.length; start += PICKS_IN_FLIGHT) {
      const batch = picked.slice(start, start + PICKS_IN_FLIGHT);
      const moved = await Promise.all(
        batch.map((record) =>
          deps.ledger.update(
            issue.issueId,
            record.subscriberId,
            { status: ['held'] },
            { status: 'queued' },
            deps.now().toISOString(),
          ),
        ),
      );
      for (const [index, record] of batch.entries()) {
        if (moved[index]) await list.add(record.subscriberId);
      }
    }
  }
  return list.close();
}

/** How many of the issue's records are `held`, counted from the ledger (not its counters). */
async function countHeld(ledger: Pick<SendLedger, 'pages'>, issueId: string): Promise<number> {
  let held = 0;
  for await (const records of ledger.pages(issueId)) {
    for (const record of records) if (record.status === 'held') held++;
  }
  return held;
}
