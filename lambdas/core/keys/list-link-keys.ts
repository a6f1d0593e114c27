import {
  compareKids,
  kidTime,
  type LinkKeySource,
  type LinkKeys,
} from '../subscribers/link-keys.ts';

/** One link key as it is shown: never its bytes. */
export interface LinkKeyListing {
  kid: string;
  /**
   * When it was made (ISO 8601, from its kid: `kidTime`); absent for kid "0", the key that
   * signed links before link keys rotated.
   */
  madeAt?: string;
  /** Whether it is the newest, which signs every new link. */
  newest: boolean;
}

/**
 * The link keys kept, newest first, as read afresh from `source` (not a cached copy): their
 * ids, when each was made, which is the newest. Never a key's bytes.
 */
export async function listLinkKeys(source: LinkKeySource): Promise<LinkKeyListing[]> {
  return linkKeyListing(await source.reload());
}

/** The listing of `keys`, newest first (see {@link listLinkKeys}). */
export function linkKeyListing(keys: LinkKeys): LinkKeyListing[] {
  return [...keys.byKid.keys()]
    .sort((a, b) => compareKids(b, a))
    .map((kid) => {
      const madeAt = kidTime(kid);
      return {
        kid,
        ...(madeAt === undefined ? {} : { madeAt: madeAt.toISOString() }),
        newest: kid === keys.newest.kid,
      };
    });
}
