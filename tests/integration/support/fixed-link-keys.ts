import {
  FIRST_KID,
  type LinkKeySource,
  type LinkKeys,
  linkKeysOf,
} from '#core/subscribers/link-keys.ts';

/**
 * Link keys that never change: the first key alone (`FIRST_KID`), with `firstKey`'s bytes, as
 * a store is before any rotation. For tests that sign and check links but rotate nothing;
 * `keys` checks a link at once.
 */
export function fixedLinkKeys(firstKey: Uint8Array): LinkKeySource & { keys: LinkKeys } {
  const keys = linkKeysOf([[FIRST_KID, firstKey]]);
  return { keys, current: async () => keys, reload: async () => keys };
}
