import { describe, expect, it } from 'vitest';
import { retireLinkKey } from '#core/keys/retire-link-key.ts';
import { LinkKeyError } from '#core/subscribers/link-keys.ts';
import { brokenLinksDeps, kidsOf, linkKeysWith, sentIssue } from './link-keys-support.ts';

const KID_MARCH = (Date.parse('2026-03-01T00:00:00.000Z') / 1000).toString(36);
const KID_JUNE = (Date.parse('2026-06-01T00:00:00.000Z') / 1000).toString(36);
const NOW = '2026-09-01T00:00:00.000Z';

/** Three keys ("0", March's, June's) and an issue in each key's time. */
async function setup() {
  const linkKeys = await linkKeysWith(KID_MARCH, KID_JUNE);
  const deps = await brokenLinksDeps(
    [
      sentIssue('01JJANUARY', '2026-01-05T08:00:00.000Z', '2026-01-05T09:00:00.000Z'),
      sentIssue('01JAPRIL', '2026-04-06T08:00:00.000Z', '2026-04-06T09:00:00.000Z'),
      sentIssue('01JJULY', '2026-07-06T08:00:00.000Z', '2026-07-06T09:00:00.000Z'),
    ],
    { '01JJANUARY': { sent: 10 }, '01JAPRIL': { sent: 20 }, '01JJULY': { sent: 40 } },
    NOW,
  );
  return { linkKeys, deps: { ...deps, linkKeys } };
}

async function refusal(promise: Promise<unknown>): Promise<LinkKeyError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LinkKeyError);
  return error as LinkKeyError;
}

describe('retireLinkKey', () => {
  it('retires a key and tells what it broke: the issues of its time, up to the next key', async () => {
    const { linkKeys, deps } = await setup();

    const retirement = await retireLinkKey(deps, KID_MARCH);

    expect(retirement).toMatchObject({
      kid: KID_MARCH,
      dryRun: false,
      kept: [KID_JUNE, '0'],
      breaks: {
        newest: { from: '2026-03-01T00:00:00.000Z', until: '2026-06-01T00:00:00.000Z' },
        issues: [{ issueId: '01JAPRIL', mailed: 20 }],
        mailed: 20,
        confirmLinks: false,
      },
    });
    expect(kidsOf(linkKeys)).toEqual(['0', KID_JUNE].sort());
  });

  it('on a dry run only tells, and changes nothing', async () => {
    const { linkKeys, deps } = await setup();

    const all = kidsOf(linkKeys);

    const estimate = await retireLinkKey(deps, '0', { dryRun: true });

    expect(estimate).toMatchObject({
      kid: '0',
      dryRun: true,
      kept: [KID_JUNE, KID_MARCH],
      breaks: {
        newest: { until: '2026-03-01T00:00:00.000Z' },
        issues: [{ issueId: '01JJANUARY', mailed: 10 }],
      },
    });
    expect(estimate.breaks.newest.from).toBeUndefined();
    expect(kidsOf(linkKeys)).toEqual(all);
  });

  it('counts key "0" up to the next key kept once the one between is retired', async () => {
    const { deps } = await setup();
    await retireLinkKey(deps, KID_MARCH);

    const estimate = await retireLinkKey(deps, '0', { dryRun: true });

    expect(estimate.breaks.newest).toEqual({ until: '2026-06-01T00:00:00.000Z' });
    expect(estimate.breaks.issues.map((issue) => issue.issueId)).toEqual([
      '01JJANUARY',
      '01JAPRIL',
    ]);
  });

  it('refuses the newest key, which signs every new link: rotate first', async () => {
    const { linkKeys, deps } = await setup();
    const all = kidsOf(linkKeys);

    for (const dryRun of [true, false]) {
      const error = await refusal(retireLinkKey(deps, KID_JUNE, { dryRun }));

      expect(error.problem).toBe('newest');
      expect(error.message).toContain('Rotate first');
    }
    expect(kidsOf(linkKeys)).toEqual(all);
  });

  it('refuses a kid that names no key kept', async () => {
    const { linkKeys, deps } = await setup();
    const all = kidsOf(linkKeys);

    const error = await refusal(retireLinkKey(deps, 'zzzz'));

    expect(error.problem).toBe('unknown');
    expect(error.message).toBe('There is no link key zzzz: see the keys kept and their ids.');
    expect(kidsOf(linkKeys)).toEqual(all);
  });
});
