import * as z from 'zod';

/**
 * True when `value` is an absolute `https:` URL written plainly: lowercase scheme,
 * no whitespace or control characters anywhere, a host present. Tricks such as
 * `JavaScript:`, ` https://`, `https:/\evil` or `data:` are refused.
 */
export function isHttpsUrl(value: string): boolean {
  if (!value.startsWith('https://')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f\\]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** A zod schema for a URL that may reach `href` or `src`: `https:` only. */
export const httpsUrl = z.string().refine(isHttpsUrl, { message: 'must be an https: URL' });
