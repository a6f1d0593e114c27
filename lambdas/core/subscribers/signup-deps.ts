import type { Config } from '../common/config.ts';
import type { RateCounters, SignupQueue } from './ports.ts';

/** What taking a sign-up from the public form needs (`admitSignup`, `subscribe`). */
export interface SignupDeps {
  config: Pick<Config, 'subscribeIpPerHour' | 'pendingDays'>;
  /** Where a sign-up waits to be stored and confirmed (only added to here). */
  signups: Pick<SignupQueue, 'addRequest'>;
  /** The per-network counters of sign-ups. */
  counters: RateCounters;
  /** Key of the HMAC under which networks are counted (the hash key, which never rotates). */
  hashKey: Uint8Array;
  /** A new opaque ULID. */
  newId(): string;
  now(): Date;
}
