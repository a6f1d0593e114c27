/** A new issue was refused because another one is sending, paused or starting: one at a time. */
export class IssueInProgressError extends Error {
  constructor(readonly issueId: string) {
    super(
      `Issue ${issueId} is sending or paused, and a list sends one issue at a time: \`newsletter issues show ${issueId}\` shows where it stands; \`newsletter send\` follows it while it sends, \`newsletter issues resume ${issueId}\` resumes it once paused.`,
    );
    this.name = 'IssueInProgressError';
  }
}
