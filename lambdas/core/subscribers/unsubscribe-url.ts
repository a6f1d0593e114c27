/**
 * The address of the unsubscribe page: `<publicBaseUrl>/unsubscribe?token=<token>`, the
 * recipient's one-click link (RFC 8058) and the link at the foot of each message. Without a
 * token it is the bare page, for a copy that belongs to nobody (the archive, a preview).
 * @param publicBaseUrl the list's public address (`publicBaseUrl`), without a trailing slash
 * @param token the recipient's signed `unsubscribe` token; omitted for the bare page
 */
export function unsubscribeUrl(publicBaseUrl: string, token?: string): string {
  const page = `${publicBaseUrl}/unsubscribe`;
  return token === undefined ? page : `${page}?token=${encodeURIComponent(token)}`;
}
