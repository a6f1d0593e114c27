/**
 * Whether a request's `Content-Encoding` names a coding (gzip, br, …): its body is then not
 * the form or JSON it claims to be until decoded, and these routes decode none. Absent, or
 * `identity`, is a plain body. An encoded body must be refused with 415 (RFC 9110, 15.5.16),
 * never read: read as it is, it says nothing, or anything.
 */
export function isEncodedBody(contentEncoding: string | undefined): boolean {
  return contentEncoding !== undefined && contentEncoding.trim().toLowerCase() !== 'identity';
}
