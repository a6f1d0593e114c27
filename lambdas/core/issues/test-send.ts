import { addressHash, addressKey } from '../common/address-hash.ts';
import type { Config } from '../common/config.ts';
import { withoutAddresses } from '../common/without-addresses.ts';
import { TEST_MESSAGE_TAG } from '../events/test-message-tag.ts';
import { HeaderValueError } from '../sending/build-message.ts';
import { MailNotSentError, MailRejectedError } from '../sending/mail-errors.ts';
import { buildMimeTemplate, headerAddress } from '../sending/mime-template.ts';
import type { Mailer, OutgoingMessage } from '../sending/ports.ts';
import { type Clock, systemClock, TokenBucket } from '../sending/token-bucket.ts';
import { parseEmailAddress } from '../subscribers/email-address.ts';
import type { LinkKeySource, LinkKeys } from '../subscribers/link-keys.ts';
import type { Subscriber, SubscriberStore, SuppressionStore } from '../subscribers/ports.ts';
import { signSubscriberToken } from '../subscribers/subscriber-token.ts';
import { blocksAllMail } from '../subscribers/subscription-deps.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { assertAllows } from './issue-state.ts';
import { type Actor, moveIssue } from './move-issue.ts';
import type { IssueStore, RenderedIssueStore } from './ports.ts';
import { TestSendError } from './test-send-error.ts';

/** Most distinct addresses one test send goes to: a test is for a few people, not a list. */
export const MAX_TEST_ADDRESSES = 10;

/** What a test message's subject begins with, before the issue's own subject. */
export const TEST_SUBJECT_PREFIX = '[TEST] ';

/**
 * The subject id of every test send's unsubscribe token. A test may go to people who are
 * no subscribers, and its link must change nothing for those who are, so the token names
 * nobody; its purpose (`test`, covered by the MAC) is what the unsubscribe page reads.
 */
export const TEST_TOKEN_SUBJECT = 'test';

/**
 * The unsubscribe token of a test message of an issue (and of a persona's preview): the
 * purpose `test`, naming nobody, so that its page answers as a real link and changes nothing.
 * Signed with the newest of `linkKeys`.
 */
export function testUnsubscribeToken(linkKeys: LinkKeys, issueId: string): string {
  return signSubscriberToken(linkKeys.newest, TEST_TOKEN_SUBJECT, 'test', { issueId });
}

/** Calls per address while SES answers that it took nothing (throttling, a 5xx). */
const TRIES = 4;

/** What a test send needs. */
export interface TestSendDeps {
  config: Pick<Config, 'listName' | 'listId' | 'fromEmail' | 'publicBaseUrl' | 'sendRate'>;
  issues: Pick<IssueStore, 'get' | 'move'>;
  renderedIssues: Pick<RenderedIssueStore, 'get'>;
  /** To greet a subscriber by name, and to refuse a suppressed subscriber. */
  subscribers: Pick<SubscriberStore, 'findByEmail'>;
  suppressions: Pick<SuppressionStore, 'get'>;
  mailer: Mailer;
  /** Key of the HMAC that hashes suppressed addresses (never rotates). */
  hashKey: Uint8Array;
  /** The keys of links: the newest signs the test message's unsubscribe link. */
  linkKeys: LinkKeySource;
  /** A new opaque ULID: makes each test message's `Message-ID` its own. */
  newId(): string;
  /** Paces the calls to SES and waits between tries; default: the system clock. */
  clock?: Clock;
}

/**
 * What became of one address: `sent` (SES took it), `rejected` (SES refused it for good),
 * `not-sent` (SES took nothing, on every try), `unknown` (the call ended without an answer:
 * it may have been sent). `error` is what SES said, without any address.
 */
export type TestRecipientResult = { address: string } & SesAnswer;

/** What SES made of one message. */
type SesAnswer =
  | { status: 'sent'; messageId: string }
  | { status: 'rejected' | 'not-sent' | 'unknown'; error: string };

/** What a test send did. */
export interface TestSendOutcome {
  issueId: string;
  /** The version whose render was sent. */
  version: number;
  /** Messages SES took. */
  sent: number;
  /** One per distinct address, in the order given (as the editor typed them: no log line). */
  recipients: TestRecipientResult[];
  /**
   * Whether the issue's timeline got its `test` entry. Not when nothing was sent, nor when
   * the issue changed while the messages went out (rendered again, sent, cancelled): then
   * `unrecorded` says why.
   */
  recorded: boolean;
  /** Why the timeline has no entry for this test (no address in it); absent when it has. */
  unrecorded?: string;
}

/** One distinct address, with its place (1-based) in the list as given. */
interface Given {
  address: string;
  place: number;
}

/**
 * Mails the draft `issueId` to a few addresses, subscribers or not, for the editor to look
 * at: the stored render of the issue's version, personalised for each address as the senders
 * personalise it for a subscriber (the same template, `buildMimeTemplate`), so a test differs
 * from what subscribers get only by the recipient's own values and the subject's
 * `[TEST] ` prefix. Its unsubscribe link (and `List-Unsubscribe`) carries a token signed for
 * the purpose `test`, which the unsubscribe page answers as it would a real one while
 * changing nothing; its messages are tagged `purpose=test` (and `testOf=<issueId>`), so that
 * their SES events never touch a ledger, and carry no `issueId` tag.
 *
 * Everything is checked before SES is first called, and a refusal sends nothing: 1 to
 * `MAX_TEST_ADDRESSES` distinct addresses (compared trimmed and case-insensitively), each a
 * valid address that can go into a header and not suppressed (bounced for good, or its owner
 * complained), an issue that is a draft, and a stored render of its version.
 *
 * Should SES refuse one address (or take nothing from it after a few tries), the others are
 * still sent: the outcome tells each address's fate. Once at least one message is out, the
 * issue's timeline gets a `test` entry (by one conditional write on its state and version)
 * whose detail counts addresses ("2 addresses", "2 of 3 addresses") and never names one;
 * nothing else of the issue changes.
 * @param addresses as the editor gave them
 * @throws TestSendError when the addresses or the stored render refuse a test
 * @throws IssueStateError when the issue is not a draft
 * @throws IssueNotFoundError when there is no such issue
 * @throws HeaderValueError when the subject, the sender or a subscriber's name cannot go into
 *   the message
 */
export async function testSendIssue(
  deps: TestSendDeps,
  issueId: string,
  addresses: readonly string[],
  by: Actor,
): Promise<TestSendOutcome> {
  const given = distinct(addresses);
  if (given.length === 0) {
    throw new TestSendError('no-addresses', 'A test send needs at least one address.');
  }
  if (given.length > MAX_TEST_ADDRESSES) {
    throw new TestSendError(
      'too-many-addresses',
      `A test send goes to at most ${MAX_TEST_ADDRESSES} addresses; ${given.length} different ones were given.`,
    );
  }
  const invalid = given.filter((entry) => !sendable(entry.address));
  if (invalid.length > 0) {
    throw new TestSendError(
      'invalid-address',
      `${capitalised(places(invalid))} ${invalid.length === 1 ? 'is' : 'are'} not an email address that can be mailed (a plain address, with an ASCII local part).`,
      invalid.map((entry) => entry.address),
    );
  }

  const issue = await deps.issues.get(issueId);
  if (!issue) throw new IssueNotFoundError(issueId);
  assertAllows(issue, 'test');
  const rendered = await deps.renderedIssues.get(issueId, issue.sha256);
  if (!rendered) {
    throw new TestSendError(
      'no-render',
      `Issue ${issueId} has no stored render of its version ${issue.version}: render it again.`,
    );
  }

  const recipients = await Promise.all(
    given.map(async (entry) => {
      const [subscriber, suppression] = await Promise.all([
        deps.subscribers.findByEmail(entry.address),
        deps.suppressions.get(addressHash(deps.hashKey, entry.address)),
      ]);
      const suppressed = blocksAllMail(suppression) || subscriber?.status === 'suppressed';
      return { ...entry, subscriber, suppressed };
    }),
  );
  const suppressed = recipients.filter((recipient) => recipient.suppressed);
  if (suppressed.length > 0) {
    throw new TestSendError(
      'suppressed-address',
      `${capitalised(places(suppressed))} ${suppressed.length === 1 ? 'is' : 'are'} suppressed: it bounced for good or its owner complained, and the list mails it no more.`,
      suppressed.map((entry) => entry.address),
    );
  }

  const { config } = deps;
  const template = await buildMimeTemplate(
    { ...rendered, subject: `${TEST_SUBJECT_PREFIX}${rendered.subject}` },
    {
      from: { name: config.listName, address: config.fromEmail },
      listId: config.listId,
      listName: config.listName,
      publicBaseUrl: config.publicBaseUrl,
    },
  );
  const unsubscribeToken = testUnsubscribeToken(await deps.linkKeys.current(), issueId);
  const tags = { [TEST_MESSAGE_TAG.name]: TEST_MESSAGE_TAG.value, testOf: issueId };
  // Every message is written before the first is sent: one that cannot be stops them all.
  const messages = recipients.map((recipient) => ({
    address: recipient.address,
    message: {
      to: headerAddress(recipient.address),
      raw: template.fill({
        // Only the Message-ID's left part: never the one a subscriber's issue will carry,
        // which a mailbox could take for a duplicate and drop.
        subscriberId: `test-${deps.newId()}`,
        address: recipient.address,
        name: nameOf(recipient.subscriber),
        unsubscribeToken,
      }),
      tags,
    } satisfies OutgoingMessage,
  }));

  const clock = deps.clock ?? systemClock;
  const bucket = new TokenBucket(issue.rate ?? config.sendRate, clock);
  const results: TestRecipientResult[] = [];
  for (const { address, message } of messages) {
    results.push({ address, ...(await sendOne(deps.mailer, message, bucket, clock)) });
  }
  const sent = results.filter((result) => result.status === 'sent').length;
  const outcome = { issueId, version: issue.version, sent, recipients: results };
  if (sent === 0) return { ...outcome, recorded: false, unrecorded: 'nothing was sent' };

  const count = sent === results.length ? `${sent}` : `${sent} of ${results.length}`;
  const detail = `${count} ${results.length === 1 ? 'address' : 'addresses'}`;
  try {
    await moveIssue(deps.issues, issueId, 'test', by, { version: issue.version, detail });
    return { ...outcome, recorded: true };
  } catch (error) {
    // The messages are out whatever the timeline says: tell what was sent, and why it is not
    // recorded (the issue was rendered again, or started, meanwhile).
    const reason = error instanceof Error ? error.message : String(error);
    return { ...outcome, recorded: false, unrecorded: withoutAddresses(reason) };
  }
}

/** One message to SES, tried again while SES says it took nothing. */
async function sendOne(
  mailer: Mailer,
  message: OutgoingMessage,
  bucket: TokenBucket,
  clock: Clock,
): Promise<SesAnswer> {
  for (let attempt = 1; ; attempt++) {
    await bucket.take();
    try {
      const { messageId } = await mailer.send(message);
      return { status: 'sent', messageId };
    } catch (error) {
      const text = withoutAddresses(error instanceof Error ? error.message : String(error));
      if (error instanceof MailRejectedError) return { status: 'rejected', error: text };
      // Any other error may have come after SES took the message: sending again could
      // deliver it twice.
      if (!(error instanceof MailNotSentError)) return { status: 'unknown', error: text };
      if (attempt >= TRIES) return { status: 'not-sent', error: text };
      await clock.sleep(200 * 2 ** attempt);
    }
  }
}

/** The addresses trimmed, each once (the first spelling kept), with their place as given. */
function distinct(addresses: readonly string[]): Given[] {
  const seen = new Set<string>();
  const given: Given[] = [];
  for (const [index, value] of addresses.entries()) {
    const address = value.trim();
    const key = addressKey(address);
    if (seen.has(key)) continue;
    seen.add(key);
    given.push({ address, place: index + 1 });
  }
  return given;
}

/** Whether an address is valid and can be written into `To:` and SES's destination. */
function sendable(address: string): boolean {
  if (parseEmailAddress(address) === undefined) return false;
  try {
    headerAddress(address);
    return true;
  } catch (error) {
    if (error instanceof HeaderValueError) return false;
    throw error;
  }
}

/** The greeting name: the subscriber's, when the address is a subscriber's; else none. */
function nameOf(subscriber: Subscriber | undefined): string {
  return subscriber?.name ?? '';
}

/** "address 2", "addresses 1 and 3", "addresses 1, 2 and 4": by place, never the address. */
function places(entries: readonly Given[]): string {
  const numbers = entries.map((entry) => String(entry.place));
  if (numbers.length === 1) return `address ${numbers[0]}`;
  return `addresses ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
