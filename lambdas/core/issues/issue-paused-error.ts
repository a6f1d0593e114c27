/** The list's issue is paused: only resuming it (or cancelling it) goes on. */
export class IssuePausedError extends Error {
  override name = 'IssuePausedError';

  constructor(readonly issueId: string) {
    super(
      `Issue ${issueId} is paused: resume it with \`newsletter issues resume ${issueId}\`, or cancel it with \`newsletter issues cancel ${issueId}\`.`,
    );
  }
}
