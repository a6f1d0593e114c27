import { MAX_ID_LENGTH } from './article.ts';

/**
 * Derives an article id from its headline (docs/article-format.md): lowercase, accents
 * folded to ASCII, every other run of characters to one `-`, cut at a `-` to at most
 * 80 characters. Returns '' when the headline has no letter or digit at all.
 */
export function articleIdFromHeadline(headline: string): string {
  const slug = headline
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_ID_LENGTH) return slug;
  const cut = slug.slice(0, MAX_ID_LENGTH + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : slug.slice(0, MAX_ID_LENGTH)).replace(
    /-+$/,
    '',
  );
}
