import type {
  DueConfirmation,
  RateCount,
  RateCounters,
  SignupQueue,
  SignupRequest,
} from '#core/subscribers/ports.ts';

/** The sign-up queue in memory: each line a map by id, read in id order. */
export class MemorySignupQueue implements SignupQueue {
  readonly requests = new Map<string, SignupRequest>();
  readonly due = new Map<string, DueConfirmation>();
  async addRequest(request: SignupRequest) {
    this.requests.set(request.id, structuredClone(request));
  }
  async oldestRequests(limit: number) {
    return oldest(this.requests, limit);
  }
  async removeRequest(id: string) {
    this.requests.delete(id);
  }
  async addDue(confirmation: DueConfirmation) {
    this.due.set(confirmation.id, structuredClone(confirmation));
  }
  async oldestDue(limit: number) {
    return oldest(this.due, limit);
  }
  async removeDue(id: string) {
    this.due.delete(id);
  }
}

function oldest<T>(entries: Map<string, T>, limit: number): T[] {
  return [...entries.keys()]
    .sort()
    .slice(0, limit)
    .map((id) => structuredClone(entries.get(id) as T));
}

/**
 * Rate counters in memory, as `DynamoDbRateCounters` keeps them: a count and the end of its
 * window in whole seconds, which nothing deletes: a closed window is told by reading it.
 */
export class MemoryRateCounters implements RateCounters {
  readonly items = new Map<string, { hits: number; expiresAt: number }>();
  async count(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateCount> {
    const seconds = Math.floor(now.getTime() / 1000);
    const item = this.items.get(key);
    if (!item || item.expiresAt <= seconds) {
      this.items.set(key, { hits: 1, expiresAt: seconds + windowSeconds });
      return { counted: true };
    }
    if (item.hits >= limit) return { counted: false, until: new Date(item.expiresAt * 1000) };
    item.hits++;
    return { counted: true };
  }
}
