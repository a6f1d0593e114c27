import { describe, expect, it } from 'vitest';
import { parseSesFaults, pickSesFault, SesFaultsError } from '#cli/local/ses-faults.ts';

describe('parseSesFaults', () => {
  it('reads the share of each fault', () => {
    expect(parseSesFaults('throttle=0.2, error=0.05,reset=0.01,lost=0.01')).toEqual({
      throttle: 0.2,
      error: 0.05,
      reset: 0.01,
      lost: 0.01,
    });
  });

  it('reads an empty setting as no faults', () => {
    expect(parseSesFaults('')).toEqual({ throttle: 0, error: 0, reset: 0, lost: 0 });
  });

  it.each([
    ['an unknown fault', 'slow=0.1', /slow=0.1/],
    ['a share above 1', 'throttle=2', /from 0 to 1/],
    ['a share that is not a number', 'lost=some', /from 0 to 1/],
    ['shares adding up to more than 1', 'throttle=0.6,error=0.6', /add up/],
  ])('refuses %s, naming it', (_what, spec, message) => {
    expect(() => parseSesFaults(spec)).toThrow(SesFaultsError);
    expect(() => parseSesFaults(spec)).toThrow(message);
  });
});

describe('pickSesFault', () => {
  it('draws each fault with its share, and none for the rest', () => {
    const faults = parseSesFaults('throttle=0.2,error=0.1,reset=0.1,lost=0.1');

    expect([0, 0.19, 0.2, 0.35, 0.45, 0.5, 0.99].map((r) => pickSesFault(faults, r))).toEqual([
      'throttle',
      'throttle',
      'error',
      'reset',
      'lost',
      undefined,
      undefined,
    ]);
  });
});
