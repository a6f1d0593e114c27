import type { Context } from 'hono';

/** Why the body of a one-click request is refused: its status, and a sentence for the reader. */
export interface OneClickRefusal {
  status: 400 | 415;
  message: string;
}

/** The only field and value that unsubscribe (RFC 8058, section 3.2). */
const FIELD = 'List-Unsubscribe';
const ONE_CLICK = 'One-Click';

const AS_A_FORM =
  'Send List-Unsubscribe=One-Click as application/x-www-form-urlencoded or multipart/form-data.';

/**
 * Checks the body of an RFC 8058 one-click POST: a form, `application/x-www-form-urlencoded`
 * or `multipart/form-data`, whose field `List-Unsubscribe` is there once, with the value
 * `One-Click` exactly. Other fields are let be. A request without a body or a media type, a
 * form that cannot be read, and a field missing, repeated, a file or of another value are
 * refused with 400; a body of another media type with 415. Nothing else unsubscribes: the
 * token says who, the body says that the mail client meant it.
 * The body must be plain: refuse an encoded one first (`isEncodedBody`).
 * @returns undefined when the body asks for one click
 */
export async function checkOneClickBody(c: Context): Promise<OneClickRefusal | undefined> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let form: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      // `all`: a field given twice comes back as a list, and is then refused.
      form = await c.req.parseBody({ all: true });
    } catch {
      return { status: 400, message: 'The body could not be read as a form.' };
    }
    if (form[FIELD] === ONE_CLICK) return undefined;
    return {
      status: 400,
      message: `The form must hold the field ${FIELD} once, with the value ${ONE_CLICK} (RFC 8058).`,
    };
  }
  return type ? { status: 415, message: AS_A_FORM } : { status: 400, message: AS_A_FORM };
}
