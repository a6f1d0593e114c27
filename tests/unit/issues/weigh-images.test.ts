import { describe, expect, it } from 'vitest';
import { weighImages } from '#core/issues/weigh-images.ts';
import { mediaKey } from '#core/media/media-key.ts';
import { imageSources } from '#core/rendering/image-sources.ts';
import { MemoryMediaStore } from '../fakes/memory-media-store.ts';

const sha = (digit: string) => digit.repeat(64);

describe('imageSources', () => {
  it('reads every img src once, as a browser decodes it, whatever the quoting', () => {
    const html = [
      '<img alt="a > b" src="https://img.example.com/a.jpg?x=1&amp;y=2">',
      "<p><IMG width=552 SRC='https://img.example.com/b.jpg'></p>",
      '<img src=https://img.example.com/c.jpg alt=c>',
      '<img src="https://img.example.com/a.jpg?x=1&amp;y=2" alt="again">',
      '<img alt="no address"><a href="https://img.example.com/d.jpg">not an image</a>',
      '<img data-src="https://img.example.com/lazy.jpg" src="https://img.example.com/e.jpg">',
    ].join('');

    expect(imageSources(html)).toEqual([
      'https://img.example.com/a.jpg?x=1&y=2',
      'https://img.example.com/b.jpg',
      'https://img.example.com/c.jpg',
      'https://img.example.com/e.jpg',
    ]);
  });
});

describe('weighImages', () => {
  it('weighs each stored photo once, and counts the rest as unmeasured or missing', async () => {
    const media = new MemoryMediaStore();
    await media.put(
      mediaKey({ sha256: sha('a'), format: 'jpeg' }),
      new Uint8Array(70_000),
      'image/jpeg',
    );
    await media.put(
      mediaKey({ sha256: sha('b'), format: 'png' }),
      new Uint8Array(5_000),
      'image/png',
    );
    const base = 'http://127.0.0.1:8025/media';
    const html = [
      `<img src="${base}/${sha('a')}.jpg">`,
      `<img src="${base}/${sha('a')}.jpg">`,
      `<img src="${base}/${sha('b')}.png">`,
      `<img src="${base}/${sha('c')}.jpg">`,
      `<img src="${base}/logo.gif">`,
      `<img src="https://elsewhere.example.org/media/${sha('a')}.jpg">`,
    ].join('');

    const weight = await weighImages(html, base, media);

    expect(weight).toEqual({ count: 5, measured: 2, bytes: 75_000, unmeasured: 2, missing: 1 });
  });

  it('weighs nothing in an issue without images', async () => {
    const weight = await weighImages(
      '<p>Text only</p>',
      'https://media.example.com',
      new MemoryMediaStore(),
    );

    expect(weight).toEqual({ count: 0, measured: 0, bytes: 0, unmeasured: 0, missing: 0 });
  });
});
