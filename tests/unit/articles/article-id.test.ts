import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleIdSchema, MAX_ID_LENGTH } from '#core/articles/article.ts';
import { articleIdFromHeadline } from '#core/articles/article-id.ts';

describe('articleIdFromHeadline', () => {
  it('lowercases and joins words with hyphens', () => {
    expect(articleIdFromHeadline('Pop Star Swaps the Stage')).toBe('pop-star-swaps-the-stage');
  });

  it('folds accents to plain letters', () => {
    expect(articleIdFromHeadline('Crème Brûlée à la Señora Ångström')).toBe(
      'creme-brulee-a-la-senora-angstrom',
    );
  });

  it('turns every run of other characters into one hyphen, with none at either end', () => {
    expect(articleIdFromHeadline('  “Wow!” — She’s Back… (Again) 🎤  ')).toBe(
      'wow-she-s-back-again',
    );
  });

  it('cuts a long headline at the last hyphen within 80 characters, not inside a word', () => {
    const headline =
      'Pop Star Mara Vell Swaps Sold-Out Arenas for a Tiny Lighthouse Café on the Wild Cornish Coast';

    expect(articleIdFromHeadline(headline)).toBe(
      'pop-star-mara-vell-swaps-sold-out-arenas-for-a-tiny-lighthouse-cafe-on-the-wild',
    );
  });

  it('keeps an id of exactly 80 characters whole', () => {
    const headline = `${'a'.repeat(39)} ${'b'.repeat(40)}`;

    expect(articleIdFromHeadline(headline)).toHaveLength(80);
  });

  it('cuts a single word longer than 80 characters at 80', () => {
    expect(articleIdFromHeadline('x'.repeat(120))).toBe('x'.repeat(80));
  });

  it('gives an empty id for a headline with no letter or digit', () => {
    expect(articleIdFromHeadline('¡¿ — … ?! 🎉')).toBe('');
  });

  it('gives a valid id or an empty one for any headline', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (headline) => {
        const id = articleIdFromHeadline(headline);
        expect(id === '' || articleIdSchema.safeParse(id).success).toBe(true);
        expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
      }),
    );
  });
});
