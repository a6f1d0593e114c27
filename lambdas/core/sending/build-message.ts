// nodemailer is loaded here only, by the subpaths its package exports: one copy per bundle.
import MailComposer from 'nodemailer/lib/mail-composer';
import { encode as encodeQp, wrap as wrapQp } from 'nodemailer/lib/qp';
import { hasControlCharacter } from '../common/control-characters.ts';

/** A header value held a control character (a line break could inject headers). */
export class HeaderValueError extends Error {
  override name = 'HeaderValueError';
}

/** One message, before encoding. */
export interface MessageParts {
  from: { name: string; address: string };
  to: string;
  subject: string;
  /** `List-Id` value, e.g. `The Weekly Slide <weekly.example.com>`. */
  listId: string;
  /** The one-click unsubscribe URL for this recipient (RFC 8058). */
  unsubscribeUrl: string;
  /** `Message-ID` with its angle brackets; default: one MailComposer makes up. */
  messageId?: string;
  text: string;
  html: string;
}

/** Longest line of a quoted-printable body (RFC 2045), in characters. */
const QP_LINE = 76;

/**
 * RFC 5322 bytes of a `multipart/alternative` message (text then HTML, both quoted-printable)
 * with `List-Id` and one-click unsubscribe headers (`List-Unsubscribe`,
 * `List-Unsubscribe-Post`), made by nodemailer's MailComposer. The confirmation email is
 * built here whole; an issue builds its template here once (`buildMimeTemplate`).
 * @throws HeaderValueError when a header value holds a control character
 */
export async function buildMessage(parts: MessageParts): Promise<Uint8Array> {
  const headers = {
    'the sender name': parts.from.name,
    'the sender address': parts.from.address,
    'the recipient address': parts.to,
    'the subject': parts.subject,
    'List-Id (the list name and id)': parts.listId,
    'List-Unsubscribe (publicBaseUrl)': parts.unsubscribeUrl,
    'Message-ID (the list id)': parts.messageId ?? '',
  };
  for (const [field, value] of Object.entries(headers)) {
    if (hasControlCharacter(value)) {
      throw new HeaderValueError(`${field} contains a control character; remove it`);
    }
  }
  const composer = new MailComposer({
    from: { name: parts.from.name, address: parts.from.address },
    to: parts.to,
    subject: parts.subject,
    ...(parts.messageId === undefined ? {} : { messageId: parts.messageId }),
    // Always quoted-printable: `buildMimeTemplate` joins pre-encoded pieces into these parts.
    text: { content: parts.text, contentTransferEncoding: 'quoted-printable' },
    html: { content: parts.html, contentTransferEncoding: 'quoted-printable' },
    headers: {
      'List-Id': parts.listId,
      'List-Unsubscribe': `<${parts.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const raw = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * `text` as a quoted-printable body: UTF-8, line ends as CRLF (hard breaks), lines of at most
 * 76 characters, the same encoding MailComposer gives a part.
 */
export function quotedPrintable(text: string): string {
  return wrapQp(encodeQp(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8')), QP_LINE);
}
