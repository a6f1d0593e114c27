import { isHttpsUrl } from '../https-url.ts';
import { TemplateError } from './template-error.ts';

const linkAttribute =
  /\s(href|src|background|action|poster|cite|srcset)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Checks the final HTML: every link or image address is `https:` or a per-recipient marker.
 * A second line of defence behind the `https` helper, for a template that writes a URL
 * without it.
 * @throws TemplateError naming the template and the unsafe address
 */
export function assertSafeLinks(
  html: string,
  markers: readonly string[],
  templateName: string,
): void {
  for (const match of html.matchAll(linkAttribute)) {
    const [, attribute = '', quoted = ''] = match;
    const value = quoted.replace(/^["']|["']$/g, '');
    if (markers.includes(value) || isHttpsUrl(value)) continue;
    throw new TemplateError(
      templateName,
      undefined,
      `${attribute.toLowerCase()}="${value.slice(0, 80)}" is not an https: address; write URLs as {{https url}}`,
    );
  }
}
