import { describe, expect, it } from 'vitest';
import { inFlight, pageSize, senderRate } from '#core/sending/send-pacing.ts';

describe('send pacing', () => {
  it('gives each of the senders that may run at once an equal share of the rate', () => {
    expect(senderRate(14, 2)).toBe(7);
    expect(senderRate(1000, 16)).toBe(62.5);
  });

  it('makes pages that one sender sends in about ten seconds, at most the configured size', () => {
    expect(pageSize(100, 14, 2)).toBe(70);
    expect(pageSize(100, 1000, 16)).toBe(100);
    expect(pageSize(100, 0.05, 2)).toBe(1);
  });

  it('keeps enough messages in flight for half a second of latency each, 2 to 32', () => {
    expect(inFlight(1)).toBe(2);
    expect(inFlight(50)).toBe(25);
    expect(inFlight(500)).toBe(32);
  });
});
