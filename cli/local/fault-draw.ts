import { createHash, randomBytes } from 'node:crypto';

/**
 * The variable that seeds every fault the local services inject (the local SES's faults and
 * the send queue's duplicate deliveries): the same seed fails the same calls again.
 */
export const FAULTS_SEED_ENV = 'NEWSLETTER_LOCAL_FAULTS_SEED';

let drawnSeed: string | undefined;

/**
 * The seed of the local faults: `NEWSLETTER_LOCAL_FAULTS_SEED` when set, else one drawn at
 * random once per process, so that the local SES and the local runtime, which run in the same
 * process, share it.
 */
export function localFaultsSeed(env = process.env): string {
  const given = env[FAULTS_SEED_ENV]?.trim();
  if (given) return given;
  drawnSeed ??= randomBytes(4).toString('hex');
  return drawnSeed;
}

/**
 * A number from 0 (included) to 1 (excluded) fixed by the seed, the kind of fault and the
 * identity of the call (e.g. issue, recipient and attempt): the same arguments always give the
 * same number, whatever other calls were made before and in whatever order, so that which
 * calls fail does not depend on how the concurrent senders happen to interleave.
 */
export function faultDraw(seed: string, kind: string, ...identity: (string | number)[]): number {
  const digest = createHash('sha256')
    .update(JSON.stringify([seed, kind, ...identity]))
    .digest();
  // 48 bits: exact in a double, and finer than any share anyone sets.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
