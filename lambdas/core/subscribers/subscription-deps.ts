import type { Config } from '../common/config.ts';
import type { Mailer, SendLedger } from '../sending/ports.ts';
import type { ConfirmationTemplates } from './confirmation-message.ts';
import type { LinkKeySource } from './link-keys.ts';
import type { SubscriberStore, Suppression, SuppressionStore } from './ports.ts';

/** What subscribing, confirming, unsubscribing and the editor's subscriber commands need. */
export interface SubscriptionDeps {
  config: Pick<
    Config,
    | 'listName'
    | 'listId'
    | 'fromEmail'
    | 'postalAddress'
    | 'publicBaseUrl'
    | 'language'
    | 'confirmLinkHours'
    | 'pendingDays'
  >;
  subscribers: SubscriberStore;
  suppressions: SuppressionStore;
  /** Sends confirmation emails. */
  mailer: Mailer;
  /**
   * The confirmation email's templates, asked for before each one is sent: cache them there
   * (`loadConfirmationTemplates` reads the built ones, `compileConfirmationTemplates` makes
   * them from the sources).
   */
  confirmationTemplates(): Promise<ConfirmationTemplates>;
  /**
   * Key of the HMAC that hashes addresses (suppressions, forgotten addresses): it never
   * rotates, so a suppressed or forgotten address stays known whatever the link keys do.
   */
  hashKey: Uint8Array;
  /** The keys that sign subscriber links (the newest) and check them (any not retired). */
  linkKeys: LinkKeySource;
  /** A new opaque ULID. */
  newId(): string;
  now(): Date;
  /**
   * Where an unsubscribe through an issue's link is counted for the issue (the send
   * ledger); absent, it is not counted.
   */
  issueEvents?: Pick<SendLedger, 'recordEvent'>;
}

/** True when the address must get no mail at all, not even a confirmation request. */
export function blocksAllMail(suppression: Suppression | undefined): boolean {
  return suppression?.reason === 'bounce' || suppression?.reason === 'complaint';
}

/** The time to the whole second below, as ISO 8601: link times are kept in seconds. */
export function wholeSecond(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}
