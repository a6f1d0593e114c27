import type { Context } from 'hono';

/** The context variable that `requireSigV4` sets. */
const SIGNED_ACTOR = 'signedActor';

/** Records who signed the request, for `signedActor`. */
export function setSignedActor(c: Context, actor: string): void {
  c.set(SIGNED_ACTOR, actor);
}

/**
 * Who signed the request, as `requireSigV4` found it (`iam:…`): the editor API's `actor`
 * behind that middleware (`actor: (c) => signedActor(c)`).
 * @throws Error when the request did not go through `requireSigV4`: a route mounted without
 *   it must not act in anyone's name
 */
export function signedActor(c: Context): string {
  const actor: unknown = c.get(SIGNED_ACTOR);
  if (typeof actor !== 'string') {
    throw new Error('signedActor: this route is not behind requireSigV4');
  }
  return actor;
}
