import { domainToASCII } from 'node:url';
import { hasControlCharacter } from '../common/control-characters.ts';
import { escapeHtml } from '../rendering/escape-html.ts';
import { randomToken } from '../rendering/make-markers.ts';
import { splitAtMarkers } from '../rendering/personalize.ts';
import type { RecipientField } from '../rendering/recipient-fields.ts';
import type { RenderedIssue } from '../rendering/render-issue.ts';
import { unsubscribeUrl } from '../subscribers/unsubscribe-url.ts';
import { buildMessage, HeaderValueError, quotedPrintable } from './build-message.ts';
import { recipientValues } from './recipient-values.ts';

/** Who sends an issue, the same for every recipient. */
export interface MimeSender {
  from: { name: string; address: string };
  /** RFC 2919 list identifier (`weekly.example.com`): `List-Id` and the right of `Message-ID`. */
  listId: string;
  /** Display name of the list, for `List-Id`. */
  listName: string;
  /** `publicBaseUrl`, without a trailing slash. */
  publicBaseUrl: string;
}

/** One recipient's values. */
export interface MimeRecipient {
  subscriberId: string;
  address: string;
  /** The greeting name; empty when unknown. */
  name: string;
  /** The signed unsubscribe token (`[A-Za-z0-9._-]`). */
  unsubscribeToken: string;
}

/** An issue's message, built once, from which each recipient's bytes are joined. */
export interface MimeTemplate {
  issueId: string;
  /**
   * The RFC 5322 bytes for one recipient: the pre-encoded parts joined with this recipient's
   * encoded values.
   * @throws HeaderValueError when the address cannot go into a header (a control character,
   *   a non-ASCII local part) or the token is malformed
   */
  fill(recipient: MimeRecipient): Buffer;
}

/** A per-recipient slot of the message. */
type Slot =
  | 'to'
  | 'messageId'
  | 'unsubscribeToken'
  | { part: 'text' | 'html'; field: RecipientField };

const TOKEN = /^[A-Za-z0-9._-]{1,256}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** QP's soft line break: ends a line without adding anything to the decoded text. */
const SOFT_BREAK = '=\r\n';

/**
 * Builds an issue's message once with `buildMessage` (`multipart/alternative`, text then
 * HTML, both quoted-printable; `List-Id`, `List-Unsubscribe` with its one-click
 * `List-Unsubscribe-Post`), with random markers where per-recipient values go, and cuts it
 * at the markers. Each static piece of the bodies is quoted-printable-encoded here, once,
 * ending on a soft line break, so a recipient's value can be encoded on its own and joined
 * in without re-encoding the 90 KB around it.
 * @throws HeaderValueError when the subject, the sender or the list holds a control character
 */
export async function buildMimeTemplate(
  rendered: RenderedIssue,
  sender: MimeSender,
  random: () => string = randomToken,
): Promise<MimeTemplate> {
  if (!ID.test(rendered.issueId)) throw new HeaderValueError('the issue id is not an opaque id');
  const token = random();
  const markers = {
    to: `nlmto${token}@example.invalid`,
    messageId: `nlmmid${token}`,
    unsubscribeToken: `nlmunsub${token}`,
    text: `nlmtext${token}`,
    html: `nlmhtml${token}`,
  };
  const built = await buildMessage({
    from: sender.from,
    to: markers.to,
    subject: rendered.subject,
    messageId: `<${markers.messageId}@${sender.listId}>`,
    listId: `${sender.listName} <${sender.listId}>`,
    unsubscribeUrl: unsubscribeUrl(sender.publicBaseUrl, markers.unsubscribeToken),
    text: markers.text,
    html: markers.html,
  });

  // Markers are ASCII letters and digits, so the latin1 view has the same offsets as the bytes.
  const skeleton = cutAt(Buffer.from(built).toString('latin1'), {
    [markers.to]: 'to',
    [markers.messageId]: 'messageId',
    [markers.unsubscribeToken]: 'unsubscribeToken',
    [markers.text]: 'text',
    [markers.html]: 'html',
  });
  const pieces: Buffer[] = [];
  const slots: Slot[] = [];
  let pending = '';
  const flush = (slot: Slot) => {
    pieces.push(Buffer.from(pending, 'latin1'));
    slots.push(slot);
    pending = '';
  };
  for (const item of skeleton) {
    if (item.kind === 'static') {
      pending += item.text;
    } else if (item.name === 'text' || item.name === 'html') {
      const part = item.name;
      const body = splitAtMarkers(
        part === 'text' ? rendered.text : rendered.html,
        rendered.markers,
      );
      for (const [index, piece] of body.statics.entries()) {
        const last = index === body.statics.length - 1;
        pending += qp(piece, !last);
        const field = body.fields[index];
        if (field) flush({ part, field });
      }
    } else {
      flush(item.name as 'to' | 'messageId' | 'unsubscribeToken');
    }
  }
  pieces.push(Buffer.from(pending, 'latin1'));
  const headerSlots = slots.filter((slot) => typeof slot === 'string');
  if (headerSlots.length !== 3) {
    throw new Error('buildMessage folded or dropped a per-recipient header of the message');
  }

  return {
    issueId: rendered.issueId,
    fill(recipient) {
      if (!ID.test(recipient.subscriberId)) {
        throw new HeaderValueError('the subscriber id is not an opaque id');
      }
      if (!TOKEN.test(recipient.unsubscribeToken)) {
        throw new HeaderValueError('the unsubscribe token holds characters a URL cannot carry');
      }
      const to = headerAddress(recipient.address);
      if (hasControlCharacter(recipient.name)) {
        throw new HeaderValueError('the name contains a control character');
      }
      const values = recipientValues(sender, recipient);
      const parts: Buffer[] = [];
      for (const [index, slot] of slots.entries()) {
        parts.push(pieces[index] as Buffer);
        if (slot === 'to') parts.push(Buffer.from(to, 'latin1'));
        else if (slot === 'messageId') {
          parts.push(Buffer.from(`${rendered.issueId}.${recipient.subscriberId}`, 'latin1'));
        } else if (slot === 'unsubscribeToken') {
          parts.push(Buffer.from(recipient.unsubscribeToken, 'latin1'));
        } else {
          const value = values[slot.field];
          parts.push(Buffer.from(qp(slot.part === 'html' ? escapeHtml(value) : value, true)));
        }
      }
      parts.push(pieces[pieces.length - 1] as Buffer);
      return Buffer.concat(parts);
    },
  };
}

/**
 * Quoted-printable for one piece of a body: line ends as CRLF (hard breaks), lines of at most
 * 76 characters, and a soft break at the end when more follows on the same line.
 */
function qp(text: string, continued: boolean): string {
  const encoded = quotedPrintable(text);
  return continued ? `${encoded}${SOFT_BREAK}` : encoded;
}

/**
 * The address as it goes into `To:` and SES's destination: printable ASCII, the domain in
 * punycode. SES sends to no address whose local part is not ASCII.
 */
export function headerAddress(address: string): string {
  if (hasControlCharacter(address))
    throw new HeaderValueError('the address contains a control character');
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = domainToASCII(address.slice(at + 1));
  if (at < 1 || !domain || !/^[\x21-\x7e]+$/.test(local) || /[<>()[\]\\,;:\s"]/.test(local)) {
    throw new HeaderValueError('the address cannot be written into a header as plain ASCII');
  }
  return `${local}@${domain}`;
}

type Cut = { kind: 'static'; text: string } | { kind: 'slot'; name: string };

/** `text` cut at each occurrence of the markers (marker → name); each must occur once. */
function cutAt(text: string, names: Record<string, string>): Cut[] {
  const pattern = new RegExp(Object.keys(names).join('|'), 'g');
  const cuts: Cut[] = [];
  const seen = new Set<string>();
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const name = names[match[0]] as string;
    if (seen.has(name)) throw new Error(`the message holds the ${name} marker twice`);
    seen.add(name);
    cuts.push({ kind: 'static', text: text.slice(start, match.index) });
    cuts.push({ kind: 'slot', name });
    start = match.index + match[0].length;
  }
  cuts.push({ kind: 'static', text: text.slice(start) });
  if (seen.size !== Object.keys(names).length) {
    throw new Error('buildMessage changed a marker of the message');
  }
  return cuts;
}
