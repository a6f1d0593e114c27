import { mediaBaseUrlOf } from '../media/media-url.ts';

/**
 * The list's own addresses, below which a link or an image may be plain `http:`: its
 * `publicBaseUrl` and where its stored photos are served from (`mediaBaseUrl`, by default
 * below `publicBaseUrl`). The configuration lets either be `http:` on loopback only, for the
 * local server; anywhere else they are `https:`.
 */
export function trustedBaseUrls(site: { publicBaseUrl: string; mediaBaseUrl?: string }): string[] {
  const media = mediaBaseUrlOf({
    publicBaseUrl: site.publicBaseUrl,
    mediaBaseUrl: site.mediaBaseUrl,
  });
  return media.startsWith(`${site.publicBaseUrl}/`)
    ? [site.publicBaseUrl]
    : [site.publicBaseUrl, media];
}
