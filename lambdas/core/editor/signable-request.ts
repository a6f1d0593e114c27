/**
 * A request as SigV4 signs it: the shape of `HttpRequest` (`@smithy/types`) that
 * `SignatureV4.sign` takes. Header names are lower case; the query is decoded, a repeated
 * name holding its values in order.
 */
export interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/**
 * The signable form of a request to `url`, the same for the one who signs (`signedFetch`)
 * and the one who checks (`verifySigV4`), so that both read a path and a query alike: the
 * path as the URL spells it (percent-encoded; SigV4 encodes it once more), the query as
 * `URLSearchParams` decodes it (SigV4 encodes each name and value again).
 * @param headers the headers to sign or check, by lower-case name, `host` among them
 */
export function signableRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: Uint8Array,
): SignableRequest {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}
