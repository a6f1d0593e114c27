import type { AuditRecord } from '#core/audit/audit-record.ts';
import type { AuditQuery, AuditTrail } from '#core/audit/audit-trail.ts';

/** An audit trail in memory, as `DynamoDbAuditTrail` keeps it: copies in, copies out. */
export class MemoryAuditTrail implements AuditTrail {
  private readonly records = new Map<string, AuditRecord>();

  async record(record: AuditRecord): Promise<void> {
    this.records.set(`${record.at}#${record.id}`, structuredClone(record));
  }

  async list(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const newest = [...this.records.entries()]
      .filter(([key]) => query.since === undefined || key >= query.since)
      .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
      .map(([, record]) => structuredClone(record));
    return query.limit === undefined ? newest : newest.slice(0, query.limit);
  }
}
