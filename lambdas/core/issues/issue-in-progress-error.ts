/** A new issue was refused because another one is being sent or started: one at a time. */
export class IssueInProgressError extends Error {
  constructor(readonly issueId: string) {
    super(
      `Issue ${issueId} is being sent, and a list sends one issue at a time: \`newsletter status ${issueId}\` shows where it stands, and \`newsletter send\` follows it.`,
    );
    this.name = 'IssueInProgressError';
  }
}
