import { describe, expect, it } from 'vitest';
import { personaNames, personas } from '#app/editor-api/personas.ts';
import { previewValues } from '#app/editor-api/preview-values.ts';
import { MAX_NAME_LENGTH, parseSubscriberName } from '#core/subscribers/email-address.ts';
import { FIRST_KID, linkKeysOf } from '#core/subscribers/link-keys.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';

const KEYS = linkKeysOf([[FIRST_KID, new Uint8Array(32).fill(5)]]);
const ISSUE = '01JISSUE000000000000000007';
const BASE = 'https://news.example.com';

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token') ?? '';
}

describe('personas', () => {
  it('are names a subscriber could have: none, one of the longest a subscriber may have, and a right-to-left one', () => {
    expect(personas.none.name).toBe('');
    expect([...personas.long.name]).toHaveLength(MAX_NAME_LENGTH);
    expect(personas.rtl.name).toMatch(/^[\u0600-\u06FF ]+$/);
    for (const name of personaNames) {
      expect(parseSubscriberName(personas[name].name)).toEqual({
        ok: true,
        name: personas[name].name === '' ? undefined : personas[name].name,
      });
    }
  });
});

describe('previewValues', () => {
  it('gives a persona a test send’s link: it names nobody and can unsubscribe nobody', () => {
    const values = previewValues({ publicBaseUrl: BASE }, KEYS, ISSUE, {
      kind: 'persona',
      persona: 'long',
    });

    expect(values.name).toBe(personas.long.name);
    expect(values.unsubscribeUrl.startsWith(`${BASE}/unsubscribe?token=`)).toBe(true);
    expect(checkSubscriberToken(KEYS, tokenOf(values.unsubscribeUrl), 'test')).toEqual({
      valid: true,
      subscriberId: 'test',
      issueId: ISSUE,
    });
    expect(checkSubscriberToken(KEYS, tokenOf(values.unsubscribeUrl), 'unsubscribe')).toMatchObject(
      {
        valid: false,
      },
    );
  });

  it('gives a subscriber their name and their own unsubscribe link for the issue', () => {
    const values = previewValues({ publicBaseUrl: BASE }, KEYS, ISSUE, {
      kind: 'subscriber',
      subscriber: { id: '01JSUB00000000000000000001', email: 'ada@example.com', name: 'Ada' },
    });

    expect(values.name).toBe('Ada');
    expect(checkSubscriberToken(KEYS, tokenOf(values.unsubscribeUrl), 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: '01JSUB00000000000000000001',
      issueId: ISSUE,
    });
  });

  it('gives nobody the bare unsubscribe page and no name, as the archive’s copy has', () => {
    expect(previewValues({ publicBaseUrl: BASE }, KEYS, ISSUE, { kind: 'public' })).toEqual({
      unsubscribeUrl: `${BASE}/unsubscribe`,
      name: '',
    });
  });
});
