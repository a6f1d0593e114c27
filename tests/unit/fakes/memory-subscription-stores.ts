import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';
import type { SendLedgerEraser, Suppression, SuppressionStore } from '#core/subscribers/ports.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { MemoryLinkKeys } from './memory-link-keys.ts';
import { MemoryRateCounters, MemorySignupQueue } from './memory-signup-stores.ts';
import { MemorySubscriberStore, RecordingMailer } from './memory-stores.ts';

/** In-memory fakes of the suppression ports, for unit tests of subscription use cases. */
export class MemorySuppressionStore implements SuppressionStore {
  readonly items = new Map<string, Suppression>();
  async get(addressHash: string) {
    const found = this.items.get(addressHash);
    return found && { ...found };
  }
  async put(addressHash: string, suppression: Suppression) {
    this.items.set(addressHash, { ...suppression });
  }
  async delete(addressHash: string) {
    this.items.delete(addressHash);
  }
}

/** Records which subscribers' ledger records were erased. */
export class RecordingLedgerEraser implements SendLedgerEraser {
  readonly erased: string[] = [];
  async eraseSubscriber(subscriberId: string) {
    this.erased.push(subscriberId);
    return 1;
  }
}

/** A clock that moves only when told to. */
export class ManualClock {
  constructor(public time = new Date('2025-03-07T08:00:00.000Z')) {}
  now = () => new Date(this.time);
  advance(minutes: number) {
    this.time = new Date(this.time.getTime() + minutes * 60_000);
  }
}

// The project's own templates, compiled once per test file: MJML takes a while to load.
let confirmationTemplates: Promise<ConfirmationTemplates> | undefined;

/**
 * Subscription use cases' ports in memory, with a recording mailer and a manual clock, the
 * sign-up queue and counters, and the project's templates (for the routes too). The same
 * store is `subscribers` and `subscriberPages`.
 */
export function memorySubscriptionDeps() {
  let counter = 0;
  const clock = new ManualClock();
  const subscribers = new MemorySubscriberStore();
  return {
    config: {
      listName: 'The Weekly Slide',
      listId: 'weekly.example.com',
      fromEmail: 'digest@example.com',
      postalAddress: '1 Example Street, London',
      publicBaseUrl: 'https://news.example.com',
      language: 'en',
      confirmLinkHours: 48,
      subscribeIpPerHour: 10,
      confirmationsPerHour: 500,
      pendingDays: 30,
    },
    subscribers,
    subscriberPages: subscribers,
    suppressions: new MemorySuppressionStore(),
    ledger: new RecordingLedgerEraser(),
    signups: new MemorySignupQueue(),
    counters: new MemoryRateCounters(),
    mailer: new RecordingMailer(),
    confirmationTemplates: () => (confirmationTemplates ??= compileConfirmationTemplates()),
    pageTemplates: () => loadPageTemplates(),
    hashKey: new Uint8Array(32).fill(3),
    // The first link key has the hash key's bytes, as on a stack or state folder of before.
    linkKeys: new MemoryLinkKeys(new Uint8Array(32).fill(3)),
    // Sortable like ULIDs, and as valid in a token.
    newId: () => `01JSUBSCRIBER${String(++counter).padStart(13, '0')}`,
    now: clock.now,
    clock,
    transientBounceLimit: 3,
  };
}

/**
 * Makes every read and write of `deps`' subscribers and suppressions throw: a request that
 * still answers as usual read nothing about any address's state.
 */
export function forbidAddressState(deps: { subscribers: object; suppressions: object }): void {
  const untouchable = () => {
    throw new Error('the request read the address’s state');
  };
  for (const store of [deps.subscribers, deps.suppressions] as Record<string, unknown>[]) {
    for (const method of ['add', 'get', 'findByEmail', 'update', 'put', 'delete']) {
      store[method] = untouchable;
    }
  }
}
