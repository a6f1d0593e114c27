import { isHttpsUrl } from '../common/https-url.ts';
import { decodeAttribute } from './decode-attribute.ts';
import { TemplateError } from './template-error.ts';

const linkAttribute =
  /\s(href|src|background|action|poster|cite|srcset|formaction|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Checks the final HTML: every link or image address is `https:`, a per-recipient marker, or
 * below one of the list's own `trustedBaseUrls` (its `publicBaseUrl` and where its photos are
 * served from, which the configuration allows as plain `http:` on loopback only). A second
 * line of defence behind the `https` helper, for a template that writes a URL without it.
 * @throws TemplateError naming the template and the unsafe address
 */
export function assertSafeLinks(
  html: string,
  markers: readonly string[],
  templateName: string,
  trustedBaseUrls: readonly string[] = [],
): void {
  const trusted = trustedBaseUrls.map((base) => `${base}/`);
  for (const match of html.matchAll(linkAttribute)) {
    const [, attribute = '', quoted = ''] = match;
    const value = decodeAttribute(quoted.replace(/^["']|["']$/g, ''));
    if (markers.includes(value) || isHttpsUrl(value)) continue;
    if (trusted.some((base) => value.startsWith(base)) && !/\s/.test(value)) continue;
    throw new TemplateError(
      templateName,
      undefined,
      `${attribute.toLowerCase()}="${value.slice(0, 80)}" is not an https: address; write URLs as {{https url}}`,
    );
  }
}
