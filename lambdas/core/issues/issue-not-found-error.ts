/** A change named an issue that is not stored: a wrong id, or an issue from another stack. */
export class IssueNotFoundError extends Error {
  constructor(readonly issueId: string) {
    super(`There is no issue ${issueId}: check the issue id, and that it belongs to this stack.`);
    this.name = 'IssueNotFoundError';
  }
}
