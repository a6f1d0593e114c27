import { compareKids, kidTime, LinkKeyError, type LinkKeyStore } from '../subscribers/link-keys.ts';
import {
  type BrokenLinks,
  type BrokenLinksDeps,
  estimateBrokenLinks,
} from './estimate-broken-links.ts';

/** What retiring a link key reads and changes. */
export interface RetireLinkKeyDeps extends BrokenLinksDeps {
  linkKeys: LinkKeyStore;
}

/** How to retire. */
export interface RetireLinkKeyOptions {
  /** Only estimate what it would break; retire nothing. */
  dryRun?: boolean;
}

/** What a retirement did, or (`dryRun`) would do. */
export interface LinkKeyRetirement {
  kid: string;
  /** True when nothing was retired: only the estimate was asked for. */
  dryRun: boolean;
  /** The keys kept after it (for a dry run: that would be), newest first. */
  kept: string[];
  /** The links it breaks (`estimateBrokenLinks`): an estimate. */
  breaks: BrokenLinks;
}

/**
 * Retires the link key `kid`: links signed with it no longer work (their unsubscribe page
 * says the link is not valid), so it is a step of its own, after `rotateLinkKey`, taken once
 * they may break. Tells what it breaks, as far as the issue store can tell: the issues sent
 * while it was the newest, from when it was made (kid "0": from the start) until the next key
 * kept was made. With `dryRun`, only tells.
 * @throws LinkKeyError `unknown` when no such key is kept, `newest` when it is the newest,
 *   which signs every new link (rotate first); nothing retired
 */
export async function retireLinkKey(
  deps: RetireLinkKeyDeps,
  kid: string,
  options: RetireLinkKeyOptions = {},
): Promise<LinkKeyRetirement> {
  const keys = await deps.linkKeys.reload();
  if (!keys.byKid.has(kid)) {
    throw new LinkKeyError(
      'unknown',
      `There is no link key ${kid}: see the keys kept and their ids.`,
    );
  }
  if (keys.newest.kid === kid) {
    throw new LinkKeyError(
      'newest',
      `Key ${kid} is the newest: every new link is signed with it. Rotate first (a new key takes over), then retire it.`,
    );
  }
  const kids = [...keys.byKid.keys()].sort(compareKids);
  // A newer one exists, since this one is not the newest.
  const next = kids.find((each) => compareKids(each, kid) > 0) ?? keys.newest.kid;
  const from = kidTime(kid);
  const breaks = await estimateBrokenLinks(deps, {
    ...(from === undefined ? {} : { from }),
    until: kidTime(next) ?? deps.now(),
  });
  const after = options.dryRun
    ? kids.filter((each) => each !== kid)
    : [...(await deps.linkKeys.remove(kid)).byKid.keys()];
  return {
    kid,
    dryRun: options.dryRun === true,
    kept: after.sort((a, b) => compareKids(b, a)),
    breaks,
  };
}
