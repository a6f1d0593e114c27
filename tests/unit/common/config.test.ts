import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, envNameOf, parseConfig } from '#core/common/config.ts';

const committed = JSON.parse(
  readFileSync(new URL('../../../newsletter.config.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('parseConfig', () => {
  it('accepts the committed example configuration', () => {
    const config = parseConfig(committed, {});

    expect(config.listName).toBe(committed.listName);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:8787');
  });

  it('lets an environment variable override a key, parsing numbers', () => {
    const config = parseConfig(committed, {
      NEWSLETTER_SEND_RATE: '42',
      NEWSLETTER_PUBLIC_BASE_URL: 'https://news.example.org/',
    });

    expect(config.sendRate).toBe(42);
    expect(config.publicBaseUrl).toBe('https://news.example.org');
  });

  it('names the file and the key of a bad value', () => {
    expect(() => parseConfig({ ...committed, fromEmail: 'not-an-address' }, {}, 'my.json')).toThrow(
      /^my\.json: fromEmail: /,
    );
  });

  it('names the environment variable when an override is bad', () => {
    expect(() => parseConfig(committed, { NEWSLETTER_SEND_RATE: 'fast' })).toThrow(
      /^NEWSLETTER_SEND_RATE: /,
    );
  });

  it('names a missing key', () => {
    const { listId: _listId, ...withoutListId } = committed;

    expect(() => parseConfig(withoutListId, {})).toThrow(/listId/);
  });

  it('refuses an unknown key, naming it', () => {
    expect(() => parseConfig({ ...committed, sendRat: 3 }, {})).toThrow(/sendRat/);
  });

  it('refuses plain http links anywhere but on loopback', () => {
    expect(() =>
      parseConfig({ ...committed, publicBaseUrl: 'http://news.example.org' }, {}),
    ).toThrow(ConfigError);
  });

  it('refuses a control character in a header field', () => {
    expect(() => parseConfig({ ...committed, listName: 'News\r\nBcc: x@example.com' }, {})).toThrow(
      /listName: must not contain control characters/,
    );
  });

  it('tracks no opens or clicks unless trackEngagement is switched on', () => {
    expect(parseConfig(committed, {}).trackEngagement).toBe(false);
    expect(parseConfig({ ...committed, trackEngagement: true }, {}).trackEngagement).toBe(true);
    expect(parseConfig(committed, { NEWSLETTER_TRACK_ENGAGEMENT: 'true' }).trackEngagement).toBe(
      true,
    );
    expect(
      parseConfig({ ...committed, trackEngagement: true }, { NEWSLETTER_TRACK_ENGAGEMENT: 'false' })
        .trackEngagement,
    ).toBe(false);
  });

  it('names the variable when trackEngagement is set to neither true nor false', () => {
    expect(() => parseConfig(committed, { NEWSLETTER_TRACK_ENGAGEMENT: 'yes' })).toThrow(
      /^NEWSLETTER_TRACK_ENGAGEMENT: /,
    );
    expect(() => parseConfig({ ...committed, trackEngagement: 'true' }, {})).toThrow(
      /trackEngagement/,
    );
  });

  it('parses an override of a number that has a default, such as the canary and pause settings', () => {
    const config = parseConfig(committed, {
      NEWSLETTER_PAUSE_MIN_OUTCOMES: '20',
      NEWSLETTER_PAUSE_BOUNCE_RATE: '0.1',
      NEWSLETTER_CANARY_PERCENT: '5',
    });

    expect(config).toMatchObject({ pauseMinOutcomes: 20, pauseBounceRate: 0.1, canaryPercent: 5 });
  });

  it('uses the documented defaults of the automatic pause and the canary', () => {
    expect(parseConfig(committed, {})).toMatchObject({
      pauseMinOutcomes: 100,
      pauseBounceRate: 0.05,
      pauseComplaintRate: 0.001,
      canaryPercent: 0,
      canaryWaitMinutes: 30,
    });
  });

  it('derives environment names from keys', () => {
    expect(envNameOf('publicBaseUrl')).toBe('NEWSLETTER_PUBLIC_BASE_URL');
  });
});
