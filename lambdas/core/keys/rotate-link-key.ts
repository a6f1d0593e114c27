import { compareKids, type LinkKeyStore, nextKid } from '../subscribers/link-keys.ts';

/** What a rotation did. */
export interface RotatedLinkKey {
  /** The new key's id: every new link is signed with it. */
  kid: string;
  /**
   * The other keys, newest first: all kept, so that every link already mailed keeps working
   * until its key is retired on purpose (`retireLinkKey`).
   */
  kept: string[];
}

/**
 * Adds a new link key (`nextKid` of `now`), which becomes the newest and signs every new
 * link; every other key is kept, and still checks the links it signed. Read afresh from the
 * store first, so that a kid made elsewhere meanwhile is not made again.
 */
export async function rotateLinkKey(store: LinkKeyStore, now: Date): Promise<RotatedLinkKey> {
  const before = await store.reload();
  const kid = nextKid(now, before.byKid.keys());
  const after = await store.add(kid, now);
  const kept = [...after.byKid.keys()]
    .filter((each) => each !== kid)
    .sort((a, b) => compareKids(b, a));
  return { kid, kept };
}
