import type { RecipientEventType } from './ports.ts';
import type { PageOutcome } from './sender.ts';

/**
 * What one step of an issue's send adds to its metrics: only the counts that step knows (a
 * page its recipients' outcomes, an SES event a bounce or a complaint). Counts only.
 */
export interface SendMetricCounts {
  /** Recipients SES took. */
  sent?: number;
  /** Recipients SES refused for good. */
  failed?: number;
  /** Sends of unknown outcome, waiting for SES's `Send` event or the window. */
  unknown?: number;
  /**
   * Recipients SES kept refusing to take (throttling, a 5xx) on every try: nothing was sent
   * to them, and their page comes back (a page's `retry`).
   */
  throttled?: number;
  /** 1 when the issue paused itself: its bounce or complaint rate passed its threshold. */
  paused?: number;
  /** Recipients whose message bounced permanently, each once (what the bounce rate counts). */
  bounces?: number;
  /** Recipients who complained, each once. */
  complaints?: number;
}

/**
 * Where the senders and the ses-events handler count what an issue's send did, as it does
 * it: on Lambda CloudWatch metrics (Powertools, EMF) with the issue's id beside them, locally
 * a line of `handlers.log`. Ids and counts only: never an address.
 */
export interface SendMetrics {
  /** Counts of one issue, recorded at once (one recording never mixes issues). */
  record(issueId: string, counts: SendMetricCounts): void;
}

/** What a page counts: how many of its recipients SES took, refused, left unknown or throttled. */
export function pageSendMetrics(counts: PageOutcome['counts']): SendMetricCounts {
  return {
    sent: counts.sent,
    failed: counts.failed,
    unknown: counts.unknown,
    throttled: counts.retry,
  };
}

/** What an SES event counted for an issue (`countRecipientEvent`) adds, if anything. */
export function eventSendMetrics(type: RecipientEventType): SendMetricCounts | undefined {
  if (type === 'bouncedPermanent') return { bounces: 1 };
  if (type === 'complained') return { complaints: 1 };
  return undefined;
}
