import { describe, expect, it } from 'vitest';
import { mediaBaseUrlOf, mediaUrl } from '#core/media/media-url.ts';

const key = `media/${'a'.repeat(64)}.jpg`;

describe('mediaUrl', () => {
  it('serves media from the public app when no media address is configured', () => {
    const config = { publicBaseUrl: 'http://127.0.0.1:8787' };

    expect(mediaBaseUrlOf(config)).toBe('http://127.0.0.1:8787/media');
    expect(mediaUrl(config, key)).toBe(`http://127.0.0.1:8787/media/${'a'.repeat(64)}.jpg`);
  });

  it('serves media from the configured media address, such as a CDN', () => {
    const config = {
      publicBaseUrl: 'https://news.example.com',
      mediaBaseUrl: 'https://d1.example.net',
    };

    expect(mediaUrl(config, key)).toBe(`https://d1.example.net/${'a'.repeat(64)}.jpg`);
  });

  it('refuses a key that is not a media key', () => {
    expect(() => mediaUrl({ publicBaseUrl: 'https://x.example' }, 'issues/1.html')).toThrow(
      RangeError,
    );
  });
});
