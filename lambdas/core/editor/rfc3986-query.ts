/**
 * The query of `url` encoded as SigV4 encodes it in the canonical request (RFC 3986: every
 * character but `A-Z a-z 0-9 - . _ ~` percent-encoded, a space as `%20`, not `+`), in the
 * order given, with `?`; empty when there is none. Sending this form means that whoever
 * checks the signature (API Gateway, or `verifySigV4`) reads the very names and values
 * that were signed, whatever the encoding the caller's URL used.
 */
export function rfc3986Query(url: URL): string {
  const pairs = [...url.searchParams].map(
    ([name, value]) => `${percentEncoded(name)}=${percentEncoded(value)}`,
  );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function percentEncoded(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
