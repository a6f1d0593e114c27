import type { SendLease, SendLeases } from '#core/sending/ports.ts';

/** In-memory fake of the senders' leases (`SendLeases`), for unit tests. */
export class MemorySendLeases implements SendLeases {
  /** The leases by issue, then by holder. */
  readonly items = new Map<string, Map<string, SendLease>>();
  /** Every term written, in order, with its issue: what a test reads of the protocol. */
  readonly held: (SendLease & { issueId: string })[] = [];
  async hold(issueId: string, lease: SendLease) {
    const leases = this.items.get(issueId) ?? new Map<string, SendLease>();
    const stored = leases.get(lease.holder);
    // As the DynamoDB adapter: a term that ends before the stored one is not written.
    if (stored && stored.until > lease.until) return false;
    leases.set(lease.holder, { ...lease });
    this.items.set(issueId, leases);
    this.held.push({ issueId, ...lease });
    return true;
  }
  async release(issueId: string, lease: SendLease) {
    const leases = this.items.get(issueId);
    if (leases?.get(lease.holder)?.since === lease.since) leases.delete(lease.holder);
  }
  async list(issueId: string) {
    return [...(this.items.get(issueId)?.values() ?? [])].map((lease) => ({ ...lease }));
  }
}
