import { describe, expect, it } from 'vitest';
import { sourceHash } from '#core/subscribers/source-hash.ts';
import { sourceNetwork } from '#core/subscribers/source-network.ts';

describe('sourceNetwork', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    [
      'an IPv4-mapped IPv6 address, as a dual-stack socket gives it',
      '::ffff:203.0.113.7',
      '203.0.113.7',
    ],
    ['an IPv4-mapped IPv6 address in hex', '::ffff:cb00:7107', '203.0.113.7'],
    ['an IPv6 address, by its /64', '2001:db8:aa:1:2:3:4:5', '2001:db8:aa:1::/64'],
    ['an IPv6 address with ::, by its /64', '2001:DB8:aa::9', '2001:db8:aa:0::/64'],
    ['IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['an IPv6 address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['something that is no address', 'example.org', 'unknown'],
    ['an IPv4 address out of range', '203.0.113.256', 'unknown'],
    ['IPv6 with two ::', '2001::db8::1', 'unknown'],
    ['IPv6 with too many groups', '1:2:3:4:5:6:7:8:9', 'unknown'],
    ['IPv6 with a group too long', '2001:db8:aa:12345::1', 'unknown'],
    ['no address', undefined, 'unknown'],
  ])('reads %s', (_, address, network) => {
    expect(sourceNetwork(address)).toBe(network);
  });
});

describe('sourceHash', () => {
  const key = new Uint8Array(32).fill(5);

  it('is the same for every address of one network, and differs between networks', () => {
    expect(sourceHash(key, '2001:db8:aa:1::1')).toBe(sourceHash(key, '2001:db8:aa:1:ffff::2'));
    expect(sourceHash(key, '::ffff:203.0.113.7')).toBe(sourceHash(key, '203.0.113.7'));
    expect(sourceHash(key, '203.0.113.7')).not.toBe(sourceHash(key, '203.0.113.8'));
  });

  it('depends on the key, and shows nothing of the address', () => {
    const hash = sourceHash(key, '203.0.113.7');

    expect(hash).not.toBe(sourceHash(new Uint8Array(32).fill(6), '203.0.113.7'));
    expect(hash).toMatch(/^[\w-]{43}$/);
    expect(hash).not.toContain('203');
  });
});
