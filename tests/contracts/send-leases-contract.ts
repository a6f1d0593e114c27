import { describe, expect, it } from 'vitest';
import type { SendLease, SendLeases } from '#core/sending/ports.ts';

const ISSUE = '01JLEASE000000000000000001';
const OTHER_ISSUE = '01JLEASE000000000000000002';
const HOLDER = '01JHOLDER00000000000000001';
const OTHER_HOLDER = '01JHOLDER00000000000000002';

/** A term of `holder` that began `second` seconds after 08:00 and lasts five seconds. */
function term(holder: string, second: number): SendLease {
  const since = Date.parse('2026-11-27T08:00:00.000Z') + second * 1000;
  return {
    holder,
    since: new Date(since).toISOString(),
    until: new Date(since + 5000).toISOString(),
  };
}

const byHolder = (a: SendLease, b: SendLease) =>
  a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0;

/** What every `SendLeases` promises; `makeSubject` gives one with no lease each time. */
export function describeSendLeasesContract(
  name: string,
  makeSubject: () => SendLeases | Promise<SendLeases>,
) {
  describe(`${name} keeps the SendLeases contract`, () => {
    it('lists a lease as it was held', async () => {
      const leases = await makeSubject();

      const written = await leases.hold(ISSUE, term(HOLDER, 0));

      expect(written).toBe(true);
      expect(await leases.list(ISSUE)).toEqual([term(HOLDER, 0)]);
    });

    it('keeps one lease per holder: a new term replaces the last', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 0));

      const written = await leases.hold(ISSUE, term(HOLDER, 3));

      expect(written).toBe(true);
      expect(await leases.list(ISSUE)).toEqual([term(HOLDER, 3)]);
    });

    it('lists every holder of the issue, and no lease of another issue', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 0));
      await leases.hold(ISSUE, term(OTHER_HOLDER, 1));
      await leases.hold(OTHER_ISSUE, term(HOLDER, 2));

      const listed = await leases.list(ISSUE);

      expect(listed.sort(byHolder)).toEqual([term(HOLDER, 0), term(OTHER_HOLDER, 1)]);
      expect(await leases.list('01JLEASE000000000000000003')).toEqual([]);
    });

    it('never shortens a term with an older one that arrives after it', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 3));

      const written = await leases.hold(ISSUE, term(HOLDER, 0));

      expect(written).toBe(false);
      expect(await leases.list(ISSUE)).toEqual([term(HOLDER, 3)]);
    });

    it('removes a released lease, leaving the other holders’', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 0));
      await leases.hold(ISSUE, term(OTHER_HOLDER, 0));

      await leases.release(ISSUE, term(HOLDER, 0));

      expect(await leases.list(ISSUE)).toEqual([term(OTHER_HOLDER, 0)]);
    });

    it('keeps a newer term when an older one is released', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 0));
      await leases.hold(ISSUE, term(HOLDER, 3));

      await leases.release(ISSUE, term(HOLDER, 0));

      expect(await leases.list(ISSUE)).toEqual([term(HOLDER, 3)]);
    });

    it('releases a lease nobody holds without complaint', async () => {
      const leases = await makeSubject();

      await leases.release(ISSUE, term(HOLDER, 0));

      expect(await leases.list(ISSUE)).toEqual([]);
    });

    it('lets a holder hold again after a release', async () => {
      const leases = await makeSubject();
      await leases.hold(ISSUE, term(HOLDER, 3));
      await leases.release(ISSUE, term(HOLDER, 3));

      await leases.hold(ISSUE, term(HOLDER, 0));

      expect(await leases.list(ISSUE)).toEqual([term(HOLDER, 0)]);
    });
  });
}
