import { describe, expect, it } from 'vitest';
import { listLinkKeys } from '#core/keys/list-link-keys.ts';
import { linkKeysWith } from './link-keys-support.ts';

const KID_MARCH = (Date.parse('2026-03-01T00:00:00.000Z') / 1000).toString(36);
const KID_JUNE = (Date.parse('2026-06-01T00:00:00.000Z') / 1000).toString(36);

describe('listLinkKeys', () => {
  it('lists the kids newest first, with when each was made and which is the newest', async () => {
    const store = await linkKeysWith(KID_MARCH, KID_JUNE);

    expect(await listLinkKeys(store)).toEqual([
      { kid: KID_JUNE, madeAt: '2026-06-01T00:00:00.000Z', newest: true },
      { kid: KID_MARCH, madeAt: '2026-03-01T00:00:00.000Z', newest: false },
      { kid: '0', newest: false },
    ]);
  });

  it('never shows a key’s bytes', async () => {
    const store = await linkKeysWith(KID_MARCH);
    const keys = await store.current();

    const listed = JSON.stringify(await listLinkKeys(store));

    for (const key of keys.byKid.values()) {
      expect(listed).not.toContain(Buffer.from(key).toString('base64url'));
      expect(listed).not.toContain(Buffer.from(key).toString('hex'));
    }
    expect(listed).not.toMatch(/"key"/);
  });
});
