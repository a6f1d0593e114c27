import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LINK_KEYS_MAX_AGE_MS,
  LINK_KEYS_RELOAD_INTERVAL_MS,
  LINK_KEYS_SECRET_ENV,
  SecretsManagerLinkKeys,
} from '#adapters/secrets-manager-link-keys.ts';
import { checkLinkToken } from '#core/subscribers/check-link-token.ts';
import { FIRST_KID, LinkKeyError, nextKid } from '#core/subscribers/link-keys.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { describeLinkKeyStoreContract } from '../contracts/link-key-store-contract.ts';
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from '../infra/support/local-secrets-manager.ts';

// The adapter over real HTTP, against the stand-in for Secrets Manager that the tests of the
// deployed functions use, its SDK client built from the standard environment as on Lambda.

const SECRET = 'newsletter-link-keys';
/** The hash key's secret value, which the stack copies as the first link key. */
const HASH_KEY = randomBytes(32).toString('hex');
const ID = '01JSUBSCRIBER0000000000001';
const START = Date.parse('2026-03-01T00:00:00.000Z');

let secretsManager: LocalSecretsManager;
let clock: { time: number };

beforeAll(async () => {
  secretsManager = await startLocalSecretsManager({ [SECRET]: '{}' });
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secretsManager.url);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await secretsManager?.close();
});
beforeEach(() => {
  secretsManager.secrets[SECRET] = JSON.stringify({ [FIRST_KID]: HASH_KEY });
  for (const name of Object.keys(secretsManager.calls)) delete secretsManager.calls[name];
  clock = { time: START };
});

/** One container's store: the secret by its ARN, the test's clock. */
function container(env = { [LINK_KEYS_SECRET_ENV]: secretsManager.arnOf(SECRET) }) {
  return new SecretsManagerLinkKeys({ env, clock: () => clock.time });
}

function stored(): Record<string, string> {
  return JSON.parse(secretsManager.secrets[SECRET] ?? '{}') as Record<string, string>;
}

async function refusal(promise: Promise<unknown>): Promise<LinkKeyError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LinkKeyError);
  return error as LinkKeyError;
}

describe('SecretsManagerLinkKeys', () => {
  it('reads the first key as the hash key’s text, so links signed before rotation still check', async () => {
    const before = signSubscriberToken(
      { kid: FIRST_KID, key: Buffer.from(HASH_KEY, 'utf8') },
      ID,
      'unsubscribe',
    );

    const keys = await container().current();

    expect(keys.newest.kid).toBe(FIRST_KID);
    expect(await checkLinkToken(container(), before, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: ID,
    });
  });

  it('rotates with PutSecretValue: a new key of 64 letters and digits, the old one kept', async () => {
    const editor = container();
    const mailed = signSubscriberToken((await editor.current()).newest, ID, 'unsubscribe');
    const now = new Date(clock.time);

    const kid = nextKid(now, (await editor.reload()).byKid.keys());
    const keys = await editor.add(kid, now);

    expect(keys.newest.kid).toBe(kid);
    expect(secretsManager.calls.PutSecretValue).toBe(1);
    expect(Object.keys(stored()).sort()).toEqual([FIRST_KID, kid].sort());
    expect(stored()[FIRST_KID]).toBe(HASH_KEY);
    expect(stored()[kid]).toMatch(/^[A-Za-z0-9]{64}$/);
    const fresh = signSubscriberToken(keys.newest, ID, 'unsubscribe');
    for (const token of [mailed, fresh]) {
      expect(await checkLinkToken(container(), token, 'unsubscribe')).toMatchObject({
        valid: true,
      });
    }
  });

  it('signs with a key added elsewhere once what it read is five minutes old', async () => {
    const warm = container();
    await warm.current();
    await container().add('tb71c0', new Date(clock.time));

    clock.time += LINK_KEYS_MAX_AGE_MS - 1;
    expect((await warm.current()).newest.kid).toBe(FIRST_KID);
    clock.time += 1;
    expect((await warm.current()).newest.kid).toBe('tb71c0');
    expect(secretsManager.calls.GetSecretValue).toBe(3);
  });

  it('checks a link of a key added elsewhere at once, reading the secret again', async () => {
    const warm = container();
    await warm.current();
    const keys = await container().add('tb71c0', new Date(clock.time));
    const fresh = signSubscriberToken(keys.newest, ID, 'unsubscribe');

    clock.time += 1_000;

    expect(await checkLinkToken(warm, fresh, 'unsubscribe')).toMatchObject({ valid: true });
    expect((await warm.current()).newest.kid).toBe('tb71c0');
  });

  it('reads the secret again for unknown kids at most once a minute', async () => {
    const warm = container();
    await warm.current();
    const madeUp = (n: number) => `${ID}.kzz${n}.${'A'.repeat(43)}`;
    const reads = () => secretsManager.calls.GetSecretValue ?? 0;

    for (let n = 0; n < 10; n++) {
      expect(await checkLinkToken(warm, madeUp(n), 'unsubscribe')).toMatchObject({
        valid: false,
      });
      clock.time += 1_000;
    }
    expect(reads()).toBe(2);

    clock.time = START + LINK_KEYS_RELOAD_INTERVAL_MS;
    await checkLinkToken(warm, madeUp(10), 'unsubscribe');
    await checkLinkToken(warm, madeUp(11), 'unsubscribe');
    expect(reads()).toBe(3);
  });

  it('retires a key with PutSecretValue; a link it signed is then refused', async () => {
    const editor = container();
    const mailed = signSubscriberToken((await editor.current()).newest, ID, 'unsubscribe');
    await editor.add('tb71c0', new Date(clock.time));

    const keys = await editor.remove(FIRST_KID);

    expect([...keys.byKid.keys()]).toEqual(['tb71c0']);
    expect(Object.keys(stored())).toEqual(['tb71c0']);
    expect(await checkLinkToken(container(), mailed, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'unknown-key',
    });
  });

  it('refuses to retire the newest key or an unknown one, writing nothing', async () => {
    const editor = container();

    expect((await refusal(editor.remove(FIRST_KID))).problem).toBe('newest');
    expect((await refusal(editor.remove('tb71c0'))).problem).toBe('unknown');
    expect((await refusal(editor.add(FIRST_KID, new Date()))).problem).toBe('exists');
    expect(secretsManager.calls.PutSecretValue).toBeUndefined();
  });

  it('goes on with the keys it has when a refresh fails, and tries again a minute later', async () => {
    const env = { [LINK_KEYS_SECRET_ENV]: secretsManager.arnOf(SECRET) };
    const warm = container(env);
    await warm.current();
    env[LINK_KEYS_SECRET_ENV] = secretsManager.arnOf('no-such-secret');

    clock.time += LINK_KEYS_MAX_AGE_MS;
    expect((await warm.current()).newest.kid).toBe(FIRST_KID);
    clock.time += LINK_KEYS_RELOAD_INTERVAL_MS - 1;
    expect((await warm.current()).newest.kid).toBe(FIRST_KID);
    expect(secretsManager.calls.GetSecretValue).toBe(2);
    clock.time += 1;
    await warm.current();
    expect(secretsManager.calls.GetSecretValue).toBe(3);
    // Without keys read before, the failure is the caller's.
    await expect(container(env).current()).rejects.toThrow();
  });

  it('never puts a key into an error', async () => {
    secretsManager.secrets[SECRET] = `{"${FIRST_KID}": "${HASH_KEY}", "tb71c0": "short-secret"`;
    const truncated = await refusal(container().current());
    secretsManager.secrets[SECRET] = JSON.stringify({ [FIRST_KID]: HASH_KEY, tb71c0: 'short' });
    const short = await refusal(container().current());
    const unset = await refusal(container({ [LINK_KEYS_SECRET_ENV]: '' }).current());

    for (const error of [truncated, short, unset]) {
      expect(error.problem).toBe('invalid-store');
      expect(error.message).not.toContain(HASH_KEY);
      expect(error.message).not.toContain('short-secret');
    }
    expect(short.message).toContain('tb71c0');
    expect(unset.message).toContain(LINK_KEYS_SECRET_ENV);
  });
});

let subjects = 0;

// Each subject its own secret, as the stack creates it: the hash key's text as the first key.
describeLinkKeyStoreContract('SecretsManagerLinkKeys', () => {
  const name = `newsletter-link-keys-contract-${++subjects}`;
  const hashKey = randomBytes(32).toString('hex');
  secretsManager.secrets[name] = JSON.stringify({ [FIRST_KID]: hashKey });
  return {
    store: container({ [LINK_KEYS_SECRET_ENV]: secretsManager.arnOf(name) }),
    firstKey: Buffer.from(hashKey, 'utf8'),
  };
});
