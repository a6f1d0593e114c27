/**
 * How an audited action ended. `result` is always there: `ok` (done), `refused` (the input,
 * the state or the caller's rights forbade it; nothing changed) or `failed` (a fault
 * of ours or of a service). `status` is the HTTP status of an editor API answer, `exitCode`
 * the exit code of a CLI command, `code` the error's code (`issue-state`, `IssueStateError`…),
 * or `dry-run` for an editor API answer that only told what a change would do.
 */
export interface AuditOutcome {
  result: 'ok' | 'refused' | 'failed';
  status?: number;
  exitCode?: number;
  code?: string;
}

/**
 * One change someone made, as the audit trail keeps it: never a subscriber's address.
 */
export interface AuditRecord {
  /** When it ended, ISO 8601 UTC (`2025-03-07T08:00:00.000Z`). */
  at: string;
  /** A ULID, unique to this record: records at the same millisecond sort by it. */
  id: string;
  /** Who: `iam:<principal ARN>`, `iam:local/<key>` or `cli:<local user>`. */
  actor: string;
  /**
   * What: an editor API route as the router declares it (`POST /issues/:id/pause`), or a CLI
   * command (`issues pause`).
   */
  action: string;
  /** What it acted on: an issue, article or subscriber id; absent when none or several. */
  target?: string;
  outcome: AuditOutcome;
}
