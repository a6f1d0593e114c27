import { describe, expect, it } from 'vitest';
import {
  parseSesFaults,
  pickSesFault,
  type SesCallIdentity,
  SesFaultsError,
  sesFaultOf,
} from '#cli/local/ses-faults.ts';

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

describe('sesFaultOf', () => {
  const faults = parseSesFaults('throttle=0.2,error=0.05,reset=0.01,lost=0.01');
  /** Three attempts to each of 400 readers of issue 7. */
  const calls: SesCallIdentity[] = Array.from({ length: 1200 }, (_, i) => ({
    issueId: '7',
    recipients: [`reader${Math.floor(i / 3) + 1}@example.com`],
    attempt: (i % 3) + 1,
  }));
  const keyOf = (call: SesCallIdentity) => `${call.recipients[0]}#${call.attempt}`;
  const decisions = (seed: string, order: SesCallIdentity[]) =>
    Object.fromEntries(order.map((call) => [keyOf(call), sesFaultOf(faults, seed, call)]));

  it('fails the same calls for the same seed, whatever order the calls come in', () => {
    // Every seventh call first, then the rest backwards: nothing like the first order.
    const shuffled = [
      ...calls.filter((_, i) => i % 7 === 0),
      ...calls.filter((_, i) => i % 7 !== 0).reverse(),
    ];

    const inOrder = decisions('42', calls);
    const outOfOrder = decisions('42', shuffled);

    expect(outOfOrder).toEqual(inOrder);
    expect(Object.values(inOrder).filter((fault) => fault !== undefined).length).toBeGreaterThan(0);
  });

  it('fails other calls for another seed', () => {
    const first = decisions('42', calls);
    const second = decisions('43', calls);

    const differing = Object.keys(first).filter((key) => first[key] !== second[key]);
    expect(differing.length).toBeGreaterThan(0);
  });

  it('decides again for each attempt to the same recipient', () => {
    const attempts = Array.from({ length: 200 }, (_, i) =>
      sesFaultOf(faults, '42', { issueId: '7', recipients: ['a@example.com'], attempt: i + 1 }),
    );

    expect(new Set(attempts).size).toBeGreaterThan(1);
  });

  it('fails about the share of calls each fault is given', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      sesFaultOf(faults, 'share-check', {
        issueId: '7',
        recipients: [`reader${i}@example.com`],
        attempt: 1,
      }),
    );
    const share = (fault: string | undefined) =>
      many.filter((drawn) => drawn === fault).length / many.length;

    // Within about three standard deviations of 20,000 draws.
    expect(Math.abs(share('throttle') - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(share('error') - 0.05)).toBeLessThan(0.005);
    expect(Math.abs(share('lost') - 0.01)).toBeLessThan(0.003);
    expect(Math.abs(share(undefined) - 0.73)).toBeLessThan(0.01);
  });
});
