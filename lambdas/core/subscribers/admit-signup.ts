import type { SignupDeps } from './signup-deps.ts';
import { sourceHash } from './source-hash.ts';

/** The window of the per-network count of sign-ups (seconds): `subscribeIpPerHour`. */
export const SIGNUP_WINDOW_SECONDS = 3600;

/** Whether a sign-up may go on; if not, in how many seconds the network may try again. */
export type SignupAdmission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/**
 * Counts a sign-up from the network of `sourceAddress` (see `sourceNetwork`), kept under the
 * network's keyed hash: within an hour from its first counted sign-up, a network gets
 * `subscribeIpPerHour` of them, whatever instance answers. What is refused is not counted.
 * @param sourceAddress the connection's source address (the request context's on AWS, the
 *   socket's locally): never a header, which anyone can write
 */
export async function admitSignup(
  deps: Pick<SignupDeps, 'config' | 'counters' | 'hashKey' | 'now'>,
  sourceAddress: string | undefined,
): Promise<SignupAdmission> {
  const now = deps.now();
  const counted = await deps.counters.count(
    `source#${sourceHash(deps.hashKey, sourceAddress)}`,
    deps.config.subscribeIpPerHour,
    SIGNUP_WINDOW_SECONDS,
    now,
  );
  if (counted.counted) return { admitted: true };
  const seconds = Math.ceil((counted.until.getTime() - now.getTime()) / 1000);
  return { admitted: false, retryAfterSeconds: Math.max(1, seconds) };
}
