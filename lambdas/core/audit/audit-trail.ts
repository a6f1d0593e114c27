import type { AuditRecord } from './audit-record.ts';

/** Which records {@link AuditTrail.list} gives. */
export interface AuditQuery {
  /** The earliest time wanted, ISO 8601 UTC: records at or after it. Absent: from the first. */
  since?: string;
  /** At most this many, the newest. Absent: all. */
  limit?: number;
}

/**
 * Where the audit trail is kept: records are added and listed, never changed or deleted.
 */
export interface AuditTrail {
  /** Keeps `record`; another record with the same `at` and `id` is replaced. */
  record(record: AuditRecord): Promise<void>;
  /**
   * The records from `since` on, newest first (by `at`, then `id`): the latest changes are
   * what a reader looks for, and `limit` keeps those.
   */
  list(query?: AuditQuery): Promise<AuditRecord[]>;
}
