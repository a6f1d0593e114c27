/**
 * Some sender's lease on an issue, begun before its pause or cancellation, neither ended nor
 * expired in the time that is ever needed (`awaitSenders`): that sender's clock, or this
 * machine's, is off by more than the allowed skew. The issue's new state is written; only the
 * wait for senders already under way gave up.
 */
export class SendersStillClaimingError extends Error {
  override name = 'SendersStillClaimingError';

  constructor(
    readonly issueId: string,
    /** Leases still open when the wait gave up. */
    readonly open: number,
    /** Milliseconds waited. */
    readonly waitedMs: number,
  ) {
    super(
      `Issue ${issueId}: ${open} sender lease${open === 1 ? '' : 's'} begun before this change still open after ${Math.round(waitedMs / 1000)} s; a sender's clock or this machine's is off. Its new state is stored; a sender may still be finishing a page of it.`,
    );
  }
}
