import { createHash } from 'node:crypto';
import type { OutboxRecord } from './ses-capture-proxy.ts';
import { engagementOf, type SesEngagement } from './ses-engagement.ts';
import { trackedLinksOf } from './tracked-links-of.ts';

/** The local SES's account, in ARNs and events. */
const ACCOUNT_ID = '000000000000';
const REGION = 'us-east-1';
/** SES's mailbox simulator: what each of its addresses makes SES report. */
const SIMULATOR = /^(success|bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

/** Which readers of delivered messages the local SES pretends open and click (`engagementOf`). */
export interface LocalEngagement {
  shares: SesEngagement;
  /** The faults seed: the same seed picks the same readers. */
  seed: string;
}

/** The local reader's address and program, in `Open` and `Click` events. */
const READER = { ipAddress: '127.0.0.1', userAgent: 'newsletter-local-reader' };

/**
 * The events SES publishes through a configuration set for one accepted message, in AWS's
 * documented format (`eventType`, `mail`, and the event's own object): `Send` for every
 * message, then for each recipient what SES reports for it: a permanent `Bounce` for
 * `bounce@` of SES's mailbox simulator, else a `Delivery` (any address: the local SES
 * delivers whatever it takes), followed by a `Complaint` for `complaint@` (labels such as
 * `success+1@` too). With `engagement`, a delivered message's reader may also open it
 * (`Open`) and click one of its tracked links (`Click`, never the unsubscribe link: it is
 * marked `ses:no-track`), as open and click tracking reports; which readers do is drawn by
 * `engagementOf`. None for a message sent without a configuration set.
 */
export function sesEvents(
  record: OutboxRecord,
  raw: Buffer,
  engagement?: LocalEngagement,
): Record<string, unknown>[] {
  if (!record.configurationSet) return [];
  const headers = headersOf(raw);
  const header = (name: string) =>
    headers.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.value;
  const fromHeader = header('From') ?? '';
  const source = record.source ?? addressesIn(fromHeader)[0] ?? '';
  const destination =
    record.destinations.length > 0 ? record.destinations : addressesIn(header('To') ?? '');
  const fromDomain = source.slice(source.lastIndexOf('@') + 1);
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [record.configurationSet],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [fromDomain],
    'ses:caller-identity': ['newsletter-local'],
  };
  for (const [name, value] of Object.entries(record.tags)) tags[name] = [value];
  const mail = {
    timestamp: record.acceptedAt,
    source,
    sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT_ID}:identity/${fromDomain}`,
    sendingAccountId: ACCOUNT_ID,
    messageId: record.messageId,
    destination,
    headersTruncated: false,
    headers,
    commonHeaders: {
      from: fromHeader ? [fromHeader] : [],
      to: header('To') ? [header('To')] : [],
      messageId: record.messageId,
      subject: header('Subject') ?? '',
    },
    tags,
  };
  const at = record.acceptedAt;
  const feedbackId = (kind: string, address: string) =>
    `${createHash('sha256').update(`${record.messageId}\n${kind}\n${address}`).digest('hex').slice(0, 40)}-000000`;
  const events: Record<string, unknown>[] = [{ eventType: 'Send', mail, send: {} }];
  const delivered: string[] = [];
  for (const address of destination) {
    const kind = SIMULATOR.exec(address)?.[1]?.toLowerCase();
    if (kind !== 'bounce') {
      delivered.push(address);
      events.push({
        eventType: 'Delivery',
        mail,
        delivery: {
          timestamp: at,
          processingTimeMillis: 0,
          recipients: [address],
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'a8-70.smtp-out.amazonses.com',
        },
      });
    }
  }
  if (engagement && delivered.length > 0) {
    const { opened, clicked } = engagementOf(engagement.shares, engagement.seed, {
      issueId: record.tags.issueId ?? '',
      recipients: delivered,
      // Read only when someone may click: the HTML need not be parsed otherwise.
      links: engagement.shares.click > 0 ? trackedLinksOf(raw) : [],
    });
    if (opened) events.push({ eventType: 'Open', mail, open: { ...READER, timestamp: at } });
    if (clicked !== undefined) {
      events.push({
        eventType: 'Click',
        mail,
        click: { ...READER, timestamp: at, link: clicked, linkTags: {} },
      });
    }
  }
  for (const address of destination) {
    const kind = SIMULATOR.exec(address)?.[1]?.toLowerCase();
    if (kind === 'bounce') {
      events.push({
        eventType: 'Bounce',
        mail,
        bounce: {
          feedbackId: feedbackId('bounce', address),
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: address,
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
          timestamp: at,
          reportingMTA: 'dns; amazonses.com',
        },
      });
    } else if (kind === 'complaint') {
      events.push({
        eventType: 'Complaint',
        mail,
        complaint: {
          feedbackId: feedbackId('complaint', address),
          complaintSubType: null,
          complainedRecipients: [{ emailAddress: address }],
          timestamp: at,
          userAgent: 'Amazon SES Mailbox Simulator',
          complaintFeedbackType: 'abuse',
          arrivalDate: at,
        },
      });
    }
  }
  return events;
}

/** The header fields of a raw message, unfolded, in order. */
function headersOf(raw: Buffer): { name: string; value: string }[] {
  const end = raw.indexOf('\r\n\r\n');
  const block = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
  const fields: { name: string; value: string }[] = [];
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

/** The addresses in a header value: inside angle brackets, else the bare words with an @. */
function addressesIn(value: string): string[] {
  const angled = [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((match) => match[1] as string);
  if (angled.length > 0) return angled;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.includes('@'));
}
