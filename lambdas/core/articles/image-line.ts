import { isHttpsUrl } from '../common/https-url.ts';

/**
 * The file extensions that make a one-word line an image line, in lower case. SVG and BMP
 * are here though no import accepts them, so that `map.svg` is refused with a reason rather
 * than printed as a caption.
 */
export const imageFileExtensions: readonly string[] = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'tif',
  'tiff',
  'avif',
  'heic',
  'heif',
  'svg',
  'bmp',
];

// A URL scheme as RFC 3986 writes it, then a colon and something after it; `10:30` starts
// with a digit and so is not one.
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;
const EXTENSION = new RegExp(`\\.(?:${imageFileExtensions.join('|')})$`, 'i');

/**
 * True when a (normalised) line of slideshow text names an image: it has no space, and it
 * either starts with a URL scheme (`https:`, `http:`, `data:`…) or ends in an image file
 * extension (`.jpg`, `.png`…, any case). A caption or credit has a space, or neither shape.
 */
export function isImageLine(line: string): boolean {
  if (line === '' || /\s/.test(line)) return false;
  return SCHEME.test(line) || EXTENSION.test(line);
}

/** What an image line names: a remote `https:` address or a local file. */
export type ImageLineSource = { kind: 'https'; url: string } | { kind: 'file'; path: string };

/**
 * What an image line names, or why it cannot be used (a sentence without the location).
 * Any scheme but plain lower-case `https:` is refused: an email client would not load it
 * (`http:`), or it is a way to run or smuggle content (`javascript:`, `data:`).
 */
export function imageLineSource(line: string): ImageLineSource | { problem: string } {
  if (SCHEME.test(line)) {
    if (isHttpsUrl(line)) return { kind: 'https', url: line };
    const scheme = line.slice(0, line.indexOf(':') + 1);
    return {
      problem:
        `the image address ${JSON.stringify(truncate(line))} is not an https: address ` +
        `(${scheme.toLowerCase() === 'https:' ? 'write it plainly, https:// in lower case' : `${scheme} is refused`}): ` +
        'give an https:// address or the path of an image file beside the article',
    };
  }
  return { kind: 'file', path: line };
}

/** Long `data:` addresses are cut in messages; the start is enough to recognise them. */
function truncate(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
