import { describe, expect, it } from 'vitest';
import {
  addArticle,
  moveArticle,
  removeArticle,
  sameOrder,
} from '#cli/studio/page/article-order.ts';

const ids = ['a', 'b', 'c', 'd'];

describe('moveArticle', () => {
  it('moves an article one place up or down', () => {
    expect(moveArticle(ids, 2, -1)).toEqual(['a', 'c', 'b', 'd']);
    expect(moveArticle(ids, 0, 1)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('leaves the list as it is for a move past either end or of an index not in it', () => {
    expect(moveArticle(ids, 0, -1)).toEqual(ids);
    expect(moveArticle(ids, 3, 1)).toEqual(ids);
    expect(moveArticle(ids, 7, -1)).toEqual(ids);
    expect(moveArticle(ids, -1, 1)).toEqual(ids);
  });

  it('never changes the list it is given', () => {
    const given = [...ids];

    moveArticle(given, 1, 1);
    removeArticle(given, 1);
    addArticle(given, 'e');

    expect(given).toEqual(ids);
  });
});

describe('removeArticle and addArticle', () => {
  it('removes the article at an index', () => {
    expect(removeArticle(ids, 1)).toEqual(['a', 'c', 'd']);
    expect(removeArticle(ids, 9)).toEqual(ids);
  });

  it('adds an article at the end, once', () => {
    expect(addArticle(ids, 'e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(addArticle(ids, 'b')).toEqual(ids);
  });
});

describe('sameOrder', () => {
  it('is true only for the same ids in the same order', () => {
    expect(sameOrder(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameOrder(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameOrder(['a'], ['a', 'b'])).toBe(false);
  });
});
