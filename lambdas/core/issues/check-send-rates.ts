import type { SendLedger } from '../sending/ports.ts';
import type { IssueStore } from './ports.ts';
import { type RateThresholds, rateBreach } from './rate-breach.ts';

/** Who pauses an issue whose rates passed their thresholds, in its timeline. */
export const RATES_ACTOR = 'rates';

/** What judging an issue's rates needs. */
export interface CheckSendRatesDeps {
  config: RateThresholds;
  issues: Pick<IssueStore, 'get' | 'move'>;
  ledger: Pick<SendLedger, 'counts' | 'eventCounts'>;
  now(): Date;
}

/**
 * Judges a sending issue's bounce and complaint rates from its ledger's counters
 * (`rateBreach`, since its last resume) and, when one passed its threshold, pauses it: one
 * conditional write from `sending`, whose timeline entry gives the reason. The senders stop
 * at their next look at the issue; whoever resumes it enqueues what is not done. Called by
 * the senders after each page and by the ses-events handler after each bounce or complaint,
 * so a crossing is acted on within a page.
 * @returns the reason when this call paused the issue; undefined when it goes on, is not
 *   sending, or someone else paused it first
 */
export async function checkSendRates(
  deps: CheckSendRatesDeps,
  issueId: string,
): Promise<string | undefined> {
  const issue = await deps.issues.get(issueId);
  if (issue?.state !== 'sending') return undefined;
  const [counts, events] = await Promise.all([
    deps.ledger.counts(issueId),
    deps.ledger.eventCounts(issueId),
  ]);
  const reason = rateBreach(
    { sent: counts.sent, bouncedPermanent: events.bouncedPermanent, complained: events.complained },
    deps.config,
    issue.rateBaseline,
  );
  if (!reason) return undefined;
  const moved = await deps.issues.move(issueId, {
    from: ['sending'],
    to: 'paused',
    entry: { at: deps.now().toISOString(), actor: RATES_ACTOR, action: 'pause', detail: reason },
  });
  return moved ? reason : undefined;
}
