import { describe, expect, it } from 'vitest';
import {
  APPLE_MAIL_DESKTOP_PREHEADER_CHARS,
  APPLE_MAIL_IPHONE_PREHEADER_CHARS,
  cutPreheader,
  GMAIL_DESKTOP_PREHEADER_CHARS,
  GMAIL_MOBILE_PREHEADER_CHARS,
  preheaderCuts,
} from '#cli/studio/page/preheader-cut.ts';

describe('cutPreheader', () => {
  it('leaves a preheader that fits as it is, its whitespace runs folded to single spaces', () => {
    expect(cutPreheader('  Trains,\n\tkites   and  tea ', 90)).toEqual({
      shown: 'Trains, kites and tea',
      cut: false,
    });
  });

  it('keeps exactly the limit of characters, then an ellipsis', () => {
    const { shown, cut } = cutPreheader('abcdefghij', 4);

    expect(shown).toBe('abcd…');
    expect(cut).toBe(true);
  });

  it('drops the spaces before the ellipsis', () => {
    expect(cutPreheader('one two three', 4).shown).toBe('one…');
  });

  it('counts an accented letter, an emoji with a skin tone and a flag as one character each, and never splits them', () => {
    const preheader = `e\u0301🧑🏽‍🍳🇵🇹${'x'.repeat(10)}`;

    expect(cutPreheader(preheader, 3).shown).toBe('e\u0301🧑🏽‍🍳🇵🇹…');
    expect(cutPreheader(preheader, 13)).toEqual({ shown: preheader, cut: false });
  });

  it('a preheader as long as the limit is not cut', () => {
    expect(cutPreheader('x'.repeat(97), 97)).toEqual({ shown: 'x'.repeat(97), cut: false });
  });
});

describe('preheaderCuts', () => {
  it('gives the cut of Apple Mail on a Mac, Gmail on the desktop, Gmail on an iPhone and Apple Mail on an iPhone, at 140, 97, 90 and 81 characters', () => {
    const preheader = 'y'.repeat(150);

    const cuts = preheaderCuts(preheader);

    expect(cuts.map(({ client, limit, cut }) => ({ client, limit, cut }))).toEqual([
      { client: 'Apple Mail, Mac', limit: 140, cut: true },
      { client: 'Gmail, desktop', limit: 97, cut: true },
      { client: 'Gmail, iPhone app', limit: 90, cut: true },
      { client: 'Apple Mail, iPhone', limit: 81, cut: true },
    ]);
    expect(cuts.map((each) => each.shown.length)).toEqual([141, 98, 91, 82]);
    expect([
      APPLE_MAIL_DESKTOP_PREHEADER_CHARS,
      GMAIL_DESKTOP_PREHEADER_CHARS,
      GMAIL_MOBILE_PREHEADER_CHARS,
      APPLE_MAIL_IPHONE_PREHEADER_CHARS,
    ]).toEqual([140, 97, 90, 81]);
  });

  it('cuts a preheader of 85 characters on the iPhone only', () => {
    const cuts = preheaderCuts('z'.repeat(85));

    expect(cuts.map((each) => each.cut)).toEqual([false, false, false, true]);
  });
});
