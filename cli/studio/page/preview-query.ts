/** What the editor chose to preview. */
export interface PreviewChoice {
  /** A stored issue; absent: the next issue, as `send` would make it. */
  issueId?: string;
  /** For the next issue: plan it as the schedule would at this time (`datetime-local`). */
  at?: string;
  /**
   * `persona:none`, `persona:long`, `persona:rtl`, `public`, or `subscriber:` and a
   * subscriber's id.
   */
  as: string;
}

/** What the "Personalised for" list's value starts with for a subscriber. */
export const SUBSCRIBER_CHOICE = 'subscriber:';

/**
 * The editor API's address for a choice: `issue=` for a stored issue (which takes no `at`),
 * else `at=` when a time is chosen. A subscriber's copy is asked of
 * `GET /api/subscribers/:id/preview` (their name and real unsubscribe link are personal data,
 * behind the `editor` role on AWS); a persona's or the public copy of `GET /api/preview`,
 * with `as=`. The time is sent as the field gives it, without an offset: the API reads it in
 * the schedule's time zone.
 */
export function previewPath(choice: PreviewChoice): string {
  const query = new URLSearchParams();
  if (choice.issueId) query.set('issue', choice.issueId);
  else if (choice.at) query.set('at', choice.at);
  if (choice.as.startsWith(SUBSCRIBER_CHOICE)) {
    const id = encodeURIComponent(choice.as.slice(SUBSCRIBER_CHOICE.length));
    const search = query.toString();
    return `/api/subscribers/${id}/preview${search ? `?${search}` : ''}`;
  }
  query.set('as', choice.as);
  return `/api/preview?${query}`;
}
