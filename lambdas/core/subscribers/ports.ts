export type SubscriberStatus = 'active' | 'pending' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  /** Opaque ULID. */
  id: string;
  email: string;
  name?: string;
  status: SubscriberStatus;
  /** Where consent came from: `cli`, `import`, `form`. */
  source: string;
  createdAt: string;
  /** When the status last changed (ISO 8601). */
  updatedAt?: string;
  /** When the owner of the address confirmed it (double opt-in). */
  confirmedAt?: string;
  /**
   * Start of the current wait for a confirmation (ISO 8601): confirmation links made before
   * it do not confirm, so a link cannot be used again after its owner has left.
   */
  pendingSince?: string;
  /**
   * When the last confirmation email, or email with a link to leave (`sendLeaveLink`), went
   * out, to space out repeated requests.
   */
  confirmationSentAt?: string;
  unsubscribedAt?: string;
  /** How the subscriber left: `link` (a message's link), `issue:<issueId>`, `cli`. */
  unsubscribedVia?: string;
  /** Why the address gets no more mail, when `status` is `suppressed`. */
  suppression?: Suppression;
  /** SES message ids that bounced transiently since the last delivery to this address. */
  transientBounces?: string[];
  /**
   * Set while a sign-up waits for its confirmation (ISO 8601, a whole second): after it the
   * store may delete the subscriber and its address by itself (DynamoDB's time to live), should
   * `eraseStalePendings` not have erased them first. Removed when the address is confirmed.
   */
  eraseAfter?: string;
}

/** Why an address must not be mailed: `bounce` and `complaint` come from SES events. */
export type SuppressionReason = 'bounce' | 'complaint' | 'unsubscribed' | 'forgotten';

export interface Suppression {
  reason: SuppressionReason;
  /** What the mail service said, e.g. `Permanent/General` or `abuse`; no address. */
  detail: string;
  /** ISO 8601. */
  at: string;
}

/**
 * Fields `SubscriberStore.update` can change; a field present as `undefined` is removed, and so
 * is `transientBounces` given as `[]`.
 */
export type SubscriberChanges = Partial<Omit<Subscriber, 'id' | 'email' | 'createdAt'>>;

/** What must hold for `SubscriberStore.update` to apply. */
export interface SubscriberCondition {
  /** The status must be one of these. */
  status?: readonly SubscriberStatus[];
  /** No confirmation email may have gone out at or after this time (ISO 8601). */
  confirmationSentBefore?: string;
  /** `pendingSince` must be exactly this. */
  pendingSince?: string;
}

/**
 * Where subscribers live (DynamoDB). Addresses are compared trimmed and case-insensitively
 * (`addressKey`). What it returns is a copy: changing it changes nothing stored.
 */
export interface SubscriberStore {
  /**
   * Adds a subscriber unless the address is already present, in which case the stored one is
   * returned unchanged: an editor's add never re-subscribes someone who left. Of several adds
   * of one address at once, exactly one creates it.
   */
  add(subscriber: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  /** Every subscriber, in no particular order. */
  list(): Promise<Subscriber[]>;
  /** The subscriber with this id, as last written. */
  get(id: string): Promise<Subscriber | undefined>;
  /** The subscriber with this address, as last written. */
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /**
   * Changes a subscriber when `condition` holds, atomically. With no changes at all (`{}`)
   * nothing is written and the condition is not checked: it returns the subscriber as stored.
   * @returns the subscriber as changed, or undefined when there is none or the condition
   *   failed
   */
  update(
    id: string,
    changes: SubscriberChanges,
    condition?: SubscriberCondition,
  ): Promise<Subscriber | undefined>;
  /**
   * Records that the message `messageId` to this subscriber bounced transiently; recording
   * the same message again changes nothing (events may be delivered twice).
   * @returns how many distinct messages have bounced transiently, or 0 when there is no
   *   such subscriber
   */
  addTransientBounce(id: string, messageId: string): Promise<number>;
  /**
   * Deletes the subscriber and every trace of its address here, when `condition` holds
   * (atomically). False when there was none, or the condition failed.
   */
  remove(id: string, condition?: SubscriberCondition): Promise<boolean>;
}

/**
 * Addresses that must not be mailed, kept as keyed hashes (`addressHash`) so that one
 * remains suppressed after its subscriber is forgotten, without the address being stored.
 */
export interface SuppressionStore {
  /** The suppression of this address hash, or undefined when it is not suppressed. */
  get(addressHash: string): Promise<Suppression | undefined>;
  /** Records or replaces the suppression of an address. */
  put(addressHash: string, suppression: Suppression): Promise<void>;
  /** Lifts the suppression of an address; lifting one that is not there does nothing. */
  delete(addressHash: string): Promise<void>;
}

/** Removes from the send ledger what could identify one subscriber's address. */
export interface SendLedgerEraser {
  /** @returns how many ledger records were changed */
  eraseSubscriber(subscriberId: string): Promise<number>;
}

/** Subscribers read in pages and by id, for fanning out and sending an issue. */
export interface SubscriberPages {
  /**
   * Up to `limit` subscribers from where `cursor` left off (from the start without one), in
   * no particular order; `cursor` is absent on the last page.
   */
  page(
    cursor: string | undefined,
    limit: number,
  ): Promise<{ subscribers: Subscriber[]; cursor?: string }>;
  /** The subscribers with these ids (missing ids are left out). */
  getMany(ids: readonly string[]): Promise<Subscriber[]>;
}

/**
 * What a request of the public forms asks for: absent, a sign-up (as every request was before
 * there was another kind); `leave-link`, an email with a one-click link to leave, for an address
 * on the list (`requestLeaveLink`).
 */
export type SignupRequestKind = 'leave-link';

/** A sign-up sent on the public form, as typed, waiting to be stored (`SignupQueue`). */
export interface SignupRequest {
  /** `<requestedAt>#<ULID>`: the queue's order is the order of the requests. */
  id: string;
  /** When the form was sent (ISO 8601). */
  requestedAt: string;
  /** Absent: a sign-up. */
  kind?: SignupRequestKind;
  email: string;
  name?: string;
  /** After it (ISO 8601, a whole second) the store may delete the request by itself. */
  eraseAfter: string;
}

/**
 * A sign-up stored as a subscriber, whose confirmation email waits for the hourly budget; or,
 * of `kind` `leave-link`, a subscriber's email with a link to leave, which waits for it too.
 */
export interface DueConfirmation {
  /** The id of the request it came from: the order of the requests is kept. */
  id: string;
  /** Absent: a confirmation. */
  kind?: SignupRequestKind;
  subscriberId: string;
  requestedAt: string;
  /** After it (ISO 8601, a whole second) the store may delete the entry by itself. */
  eraseAfter: string;
}

/**
 * Sign-ups between the public form and their confirmation emails (DynamoDB), in two lines,
 * each read oldest first: the requests as typed (the only place an address waits before it is
 * stored), then the confirmations due, which name a subscriber and hold no address. Adding an
 * entry whose id is there already replaces it; removing one that is not there does nothing.
 */
export interface SignupQueue {
  addRequest(request: SignupRequest): Promise<void>;
  /** Up to `limit` requests, oldest first. */
  oldestRequests(limit: number): Promise<SignupRequest[]>;
  removeRequest(id: string): Promise<void>;
  addDue(confirmation: DueConfirmation): Promise<void>;
  /** Up to `limit` confirmations due, oldest first. */
  oldestDue(limit: number): Promise<DueConfirmation[]>;
  removeDue(id: string): Promise<void>;
}

/** Whether a request was counted, and if not, when its key's window closes. */
export type RateCount = { counted: true } | { counted: false; until: Date };

/**
 * Requests counted per key in windows, shared by every instance of every function
 * (DynamoDB). A window opens with the first request counted after the last one closed, and
 * closes `windowSeconds` (whole seconds) later; within it at most `limit` requests are
 * counted, even when many come at once. A closed window counts for nothing, even while its
 * item waits for DynamoDB's time to live to delete it.
 */
export interface RateCounters {
  count(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateCount>;
}
