import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { hasControlCharacter } from '../common/control-characters.ts';

/** A header value held a control character (a line break could inject headers). */
export class HeaderValueError extends Error {
  override name = 'HeaderValueError';
}

/** One recipient's message, before encoding. */
export interface MessageParts {
  from: { name: string; address: string };
  to: string;
  subject: string;
  /** `List-Id` value, e.g. `The Weekly Slide <weekly.example.com>`. */
  listId: string;
  /** The one-click unsubscribe URL for this recipient (RFC 8058). */
  unsubscribeUrl: string;
  text: string;
  html: string;
}

/** RFC 5322 bytes of a `multipart/alternative` message with one-click unsubscribe headers. */
export async function buildMessage(parts: MessageParts): Promise<Uint8Array> {
  const headers = {
    from: parts.from.name,
    'from address': parts.from.address,
    to: parts.to,
    subject: parts.subject,
    'List-Id': parts.listId,
    'List-Unsubscribe': parts.unsubscribeUrl,
  };
  for (const [field, value] of Object.entries(headers)) {
    if (hasControlCharacter(value))
      throw new HeaderValueError(`${field} contains a control character`);
  }
  const composer = new MailComposer({
    from: { name: parts.from.name, address: parts.from.address },
    to: parts.to,
    subject: parts.subject,
    text: parts.text,
    html: parts.html,
    headers: {
      'List-Id': parts.listId,
      'List-Unsubscribe': `<${parts.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  const raw = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
