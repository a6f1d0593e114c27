import { describe, expect, it } from 'vitest';
import {
  FULL_DARK_CSS,
  frameHtml,
  NO_NAVIGATION,
  studioMediaAddresses,
} from '#cli/studio/page/frame-html.ts';
import { injectAtHeadEnd, injectIntoHead } from '#cli/studio/page/head-inject.ts';

const MEDIA = 'http://127.0.0.1:8787/media';
const PHOTO = 'a'.repeat(64);
const html =
  '<!doctype html><html lang="en"><head><title>x</title></head><body style="color:#000000">Hi</body></html>';

describe('frameHtml', () => {
  it('gives the frame the message with links that open nothing, first in its head', () => {
    expect(frameHtml(html, 'light', MEDIA)).toBe(html.replace('<head>', `<head>${NO_NAVIGATION}`));
  });

  it('adds the full inversion last in the head, after the message’s own styles', () => {
    const framed = frameHtml(html, 'dark-full', MEDIA);

    expect(framed).toContain(`<style>${FULL_DARK_CSS}</style></head>`);
    expect(framed).toContain('<body style="color:#000000">');
  });

  it('paints the partial dark mode on a copy: dark text lightened', () => {
    expect(frameHtml(html, 'dark-partial', MEDIA)).toContain('<body style="color:#ebebeb">');
  });

  it('takes the photos under the media base from the studio in every mode', () => {
    const photo = `<html><head></head><body><img src="${MEDIA}/${PHOTO}.jpg" alt=""></body></html>`;

    for (const mode of ['light', 'dark-full', 'dark-partial'] as const) {
      expect(frameHtml(photo, mode, MEDIA)).toContain(`<img src="/media/${PHOTO}.jpg" alt="">`);
    }
  });
});

describe('studioMediaAddresses', () => {
  it('moves a src under the media base to /media/, whichever the quote and the spacing', () => {
    expect(studioMediaAddresses(`<img src="${MEDIA}/${PHOTO}.jpg">`, MEDIA)).toBe(
      `<img src="/media/${PHOTO}.jpg">`,
    );
    expect(studioMediaAddresses(`<IMG alt="" SRC = '${MEDIA}/${PHOTO}.png'>`, MEDIA)).toBe(
      `<IMG alt="" SRC = '/media/${PHOTO}.png'>`,
    );
  });

  it('takes a media base given with a trailing slash as the same base', () => {
    expect(studioMediaAddresses(`<img src="${MEDIA}/${PHOTO}.jpg">`, `${MEDIA}/`)).toBe(
      `<img src="/media/${PHOTO}.jpg">`,
    );
  });

  it('moves each srcset candidate under the media base, and leaves the others', () => {
    const srcset = `<img srcset="${MEDIA}/${PHOTO}.jpg 1x, https://elsewhere.example/b.jpg 2x,${MEDIA}/${PHOTO}.png 3x">`;

    expect(studioMediaAddresses(srcset, MEDIA)).toBe(
      `<img srcset="/media/${PHOTO}.jpg 1x, https://elsewhere.example/b.jpg 2x,/media/${PHOTO}.png 3x">`,
    );
  });

  it('leaves addresses that are not under the media base', () => {
    const others = [
      '<img src="https://elsewhere.example/media/a.jpg">',
      `<img src="${MEDIA}x/${PHOTO}.jpg">`,
      `<img src="https://proxy.example/?u=${MEDIA}/${PHOTO}.jpg">`,
      '<img src="data:image/png;base64,AAAA">',
    ].join('');

    expect(studioMediaAddresses(others, MEDIA)).toBe(others);
  });

  it('leaves the media base outside src and srcset: links, styles, text and data-src', () => {
    const outside = [
      `<a href="${MEDIA}/${PHOTO}.jpg">the photo</a>`,
      `<td style="background-image:url(${MEDIA}/${PHOTO}.jpg)"></td>`,
      `<p>${MEDIA}/${PHOTO}.jpg</p>`,
      `<img data-src="${MEDIA}/${PHOTO}.jpg" src="${MEDIA}/${PHOTO}.jpg">`,
    ].join('');

    expect(studioMediaAddresses(outside, MEDIA)).toBe(
      outside.replace(`src="${MEDIA}/${PHOTO}.jpg">`, `src="/media/${PHOTO}.jpg">`),
    );
  });

  it('gives the HTML back as it is for an empty media base', () => {
    const photo = `<img src="${MEDIA}/${PHOTO}.jpg">`;

    expect(studioMediaAddresses(photo, '')).toBe(photo);
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
