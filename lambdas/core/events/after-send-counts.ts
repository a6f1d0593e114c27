import type { LinkClicks, RecipientEventCounts, SendLedger } from '../sending/ports.ts';
import { engagementEventTypes } from '../sending/send-counts.ts';

/**
 * What happened after an issue was sent, as `issues show` and `status` report it: how many
 * recipients' messages were delivered, bounced (for good or for now), complained of, rejected
 * or delayed, and how many left through the issue's unsubscribe link or header. With
 * `trackEngagement` also how many opened it and clicked in it, and each clicked link with its
 * recipients. Each recipient counts once per figure.
 */
export type AfterSendCounts = Omit<RecipientEventCounts, 'opened' | 'clicked'> & {
  /** Recipients who opened the issue (an image fetched: overstated by privacy proxies). */
  opened?: number;
  /** Recipients who clicked at least one link. */
  clicked?: number;
  /** Each clicked link with how many recipients clicked it, the most clicked first. */
  clicks?: LinkClicks[];
};

/**
 * An issue's {@link AfterSendCounts}, from the ledger's counters (a few reads at any size):
 * opens and clicks only with `trackEngagement`, since without it SES reports none and a 0
 * would read as nobody.
 */
export async function afterSendCounts(
  ledger: Pick<SendLedger, 'eventCounts' | 'linkClicks'>,
  issueId: string,
  options: { trackEngagement: boolean },
): Promise<AfterSendCounts> {
  const [counts, clicks] = await Promise.all([
    ledger.eventCounts(issueId),
    options.trackEngagement ? ledger.linkClicks(issueId) : [],
  ]);
  if (options.trackEngagement) return { ...counts, clicks };
  const delivery: Partial<RecipientEventCounts> = { ...counts };
  for (const type of engagementEventTypes) delete delivery[type];
  return delivery as AfterSendCounts;
}
