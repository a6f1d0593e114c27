import { isHttpsUrl } from '../common/https-url.ts';
import { TemplateError } from './template-error.ts';

const linkAttribute =
  /\s(href|src|background|action|poster|cite|srcset|formaction|xlink:href)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Checks the final HTML: every link or image address is `https:`, a per-recipient marker, or
 * below the list's own `trustedBaseUrl`. A second line of defence behind the `https` helper,
 * for a template that writes a URL without it.
 * @throws TemplateError naming the template and the unsafe address
 */
export function assertSafeLinks(
  html: string,
  markers: readonly string[],
  templateName: string,
  trustedBaseUrl?: string,
): void {
  const trusted = trustedBaseUrl === undefined ? undefined : `${trustedBaseUrl}/`;
  for (const match of html.matchAll(linkAttribute)) {
    const [, attribute = '', quoted = ''] = match;
    const value = decodeAttribute(quoted.replace(/^["']|["']$/g, ''));
    if (markers.includes(value) || isHttpsUrl(value)) continue;
    if (trusted !== undefined && value.startsWith(trusted) && !/\s/.test(value)) continue;
    throw new TemplateError(
      templateName,
      undefined,
      `${attribute.toLowerCase()}="${value.slice(0, 80)}" is not an https: address; write URLs as {{https url}}`,
    );
  }
}

/** Attribute values as a browser reads them: `&#x3D;` is `=`, `&amp;` is `&`. */
function decodeAttribute(value: string): string {
  return value.replace(
    /&(?:#x([0-9a-f]+)|#(\d+)|(amp|quot|apos|lt|gt));?/gi,
    (_, hex, dec, name) => {
      const code = hex ? Number.parseInt(hex, 16) : dec ? Number(dec) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      return { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' }[String(name).toLowerCase()] ?? '';
    },
  );
}
