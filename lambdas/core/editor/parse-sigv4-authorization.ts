/** The one signing algorithm accepted: SigV4 with HMAC-SHA256 (not SigV4a). */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What a SigV4 `Authorization` header says, once read. */
export interface SigV4Authorization {
  accessKeyId: string;
  /** The credential scope: `<date>/<region>/<service>/aws4_request`. */
  scope: { date: string; region: string; service: string };
  /** The names of the signed headers, lower case, in the order given (sorted when signed). */
  signedHeaders: string[];
  /** The signature, 64 lower-case hexadecimal digits. */
  signature: string;
}

/** A header that cannot be read as SigV4, and why (for the answer; quotes nothing secret). */
export interface UnreadableAuthorization {
  reason: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * Reads an `Authorization` header of the form the AWS SDKs write:
 * `AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
 * SignedHeaders=<a;b;c>, Signature=<64 hex>`. Strict: each part once, the scope's five
 * pieces, header names lower case, sorted and unique, as SigV4 signs them.
 */
export function parseSigV4Authorization(
  header: string,
): SigV4Authorization | UnreadableAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    return { reason: `The Authorization header must be ${SIGV4_ALGORITHM} (SigV4).` };
  }
  const parts = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const equals = part.indexOf('=');
    const name = part.slice(0, Math.max(equals, 0)).trim();
    if (equals < 0 || parts.has(name)) {
      return {
        reason: 'The Authorization header is not Credential=…, SignedHeaders=…, Signature=….',
      };
    }
    parts.set(name, part.slice(equals + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (parts.size !== 3 || !credential || !signedHeaders || !signature) {
    return {
      reason: 'The Authorization header is not Credential=…, SignedHeaders=…, Signature=….',
    };
  }
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (
    !accessKeyId ||
    !date ||
    !/^\d{8}$/.test(date) ||
    !region ||
    !service ||
    terminator !== 'aws4_request' ||
    rest.length > 0
  ) {
    return {
      reason: 'The credential must be <access key>/<yyyymmdd>/<region>/<service>/aws4_request.',
    };
  }
  const names = signedHeaders.split(';');
  const sorted = names.every(
    (name, i) => HEADER_NAME.test(name) && (i === 0 || (names[i - 1] as string) < name),
  );
  if (!sorted) {
    return { reason: 'SignedHeaders must list lower-case header names, sorted, separated by ;.' };
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    return { reason: 'The signature must be 64 lower-case hexadecimal digits.' };
  }
  return { accessKeyId, scope: { date, region, service }, signedHeaders: names, signature };
}
