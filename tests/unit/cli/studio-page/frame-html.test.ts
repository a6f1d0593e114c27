import { describe, expect, it } from 'vitest';
import { FULL_DARK_CSS, frameHtml, NO_NAVIGATION } from '#cli/studio/page/frame-html.ts';
import { injectAtHeadEnd, injectIntoHead } from '#cli/studio/page/head-inject.ts';

const html =
  '<!doctype html><html lang="en"><head><title>x</title></head><body style="color:#000000">Hi</body></html>';

describe('frameHtml', () => {
  it('gives the frame the message with links that open nothing, first in its head', () => {
    expect(frameHtml(html, 'light')).toBe(html.replace('<head>', `<head>${NO_NAVIGATION}`));
  });

  it('adds the full inversion last in the head, after the message’s own styles', () => {
    const framed = frameHtml(html, 'dark-full');

    expect(framed).toContain(`<style>${FULL_DARK_CSS}</style></head>`);
    expect(framed).toContain('<body style="color:#000000">');
  });

  it('paints the partial dark mode on a copy: dark text lightened', () => {
    expect(frameHtml(html, 'dark-partial')).toContain('<body style="color:#ebebeb">');
  });
});

describe('injectIntoHead and injectAtHeadEnd', () => {
  it('places markup after <head>, else after <html>, else first', () => {
    expect(injectIntoHead('<html><head id="h"></head></html>', 'M')).toBe(
      '<html><head id="h">M</head></html>',
    );
    expect(injectIntoHead('<html lang="en"><body></body></html>', 'M')).toBe(
      '<html lang="en">M<body></body></html>',
    );
    expect(injectIntoHead('<p>bare</p>', 'M')).toBe('M<p>bare</p>');
  });

  it('does not take <header> for <head>', () => {
    expect(injectIntoHead('<html><body><header>x</header></body></html>', 'M')).toBe(
      '<html>M<body><header>x</header></body></html>',
    );
  });

  it('places markup before </head>, or as injectIntoHead without one', () => {
    expect(injectAtHeadEnd('<head><style></style></head>', 'M')).toBe(
      '<head><style></style>M</head>',
    );
    expect(injectAtHeadEnd('<html><body></body></html>', 'M')).toBe('<html>M<body></body></html>');
  });
});
