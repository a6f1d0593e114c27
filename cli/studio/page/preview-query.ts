/** What the editor chose to preview. */
export interface PreviewChoice {
  /** A stored issue; absent: the next issue, as `send` would make it. */
  issueId?: string;
  /** For the next issue: plan it as the schedule would at this time (`datetime-local`). */
  at?: string;
  /** `persona:none`, `persona:long`, `persona:rtl`, `public`, or a subscriber's id. */
  as: string;
}

/**
 * `GET /api/preview`'s address for a choice: `issue=` for a stored issue (which takes no
 * `at`), else `at=` when a time is chosen; `as=` always. The time is sent as the field gives
 * it, without an offset: the API reads it in the schedule's time zone.
 */
export function previewPath(choice: PreviewChoice): string {
  const query = new URLSearchParams();
  if (choice.issueId) query.set('issue', choice.issueId);
  else if (choice.at) query.set('at', choice.at);
  query.set('as', choice.as);
  return `/api/preview?${query}`;
}
