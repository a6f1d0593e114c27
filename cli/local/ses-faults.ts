import { faultDraw } from './fault-draw.ts';

/**
 * Shares (0 to 1) of the local SES's `SendRawEmail` calls that fail on purpose, each the way
 * SES or the network can fail:
 * - `throttle`: SES's own `Throttling` error (HTTP 400): nothing was sent;
 * - `error`: an `InternalFailure` (HTTP 500): nothing was sent;
 * - `reset`: the connection drops before the message is taken: nothing was sent, and the
 *   caller cannot tell;
 * - `lost`: the message is taken (written to the outbox, its `Send` event published) and
 *   the connection drops before the answer: sent, and the caller cannot tell.
 */
export interface SesFaults {
  throttle: number;
  error: number;
  reset: number;
  lost: number;
}

export type SesFault = keyof SesFaults;

/** The variable that sets the local SES's faults, e.g. `throttle=0.2,error=0.05,reset=0.01,lost=0.01`. */
export const SES_FAULTS_ENV = 'NEWSLETTER_LOCAL_SES_FAULTS';

export const noFaults: SesFaults = { throttle: 0, error: 0, reset: 0, lost: 0 };

/** A fault setting that cannot be read; names the part that is wrong. */
export class SesFaultsError extends Error {
  override name = 'SesFaultsError';
}

/**
 * Reads `name=share,…` (names `throttle`, `error`, `reset`, `lost`; shares from 0 to 1 that
 * add up to 1 at most). An empty setting means no faults.
 * @throws SesFaultsError naming the part that is wrong
 */
export function parseSesFaults(spec: string, source = SES_FAULTS_ENV): SesFaults {
  const faults = { ...noFaults };
  for (const part of spec.split(',').map((item) => item.trim())) {
    if (part === '') continue;
    const [name, value, ...rest] = part.split('=').map((item) => item.trim());
    if (!name || !(name in faults) || value === undefined || rest.length > 0) {
      throw new SesFaultsError(
        `${source}: "${part}" is not name=share with name one of throttle, error, reset, lost`,
      );
    }
    const share = Number(value);
    if (value === '' || !Number.isFinite(share) || share < 0 || share > 1) {
      throw new SesFaultsError(
        `${source}: the share of ${name} must be from 0 to 1, got "${value}"`,
      );
    }
    faults[name as SesFault] = share;
  }
  const total = Object.values(faults).reduce((sum, share) => sum + share, 0);
  if (total > 1 + 1e-9)
    throw new SesFaultsError(`${source}: the shares add up to ${total}, more than 1`);
  return faults;
}

/** The faults set by `NEWSLETTER_LOCAL_SES_FAULTS`, or none. */
export function sesFaultsFromEnv(env = process.env): SesFaults {
  return parseSesFaults(env[SES_FAULTS_ENV] ?? '');
}

/**
 * The fault for a draw from 0 to 1 (`faultDraw`), or undefined for none: each fault takes
 * the next slice of its share, in the order throttle, error, reset, lost.
 */
export function pickSesFault(faults: SesFaults, draw: number): SesFault | undefined {
  let bound = 0;
  for (const name of ['throttle', 'error', 'reset', 'lost'] as const) {
    bound += faults[name];
    if (draw < bound) return name;
  }
  return undefined;
}

/** What the fault of one `SendRawEmail` call depends on, besides the seed. */
export interface SesCallIdentity {
  /** The `issueId` tag of the call; empty for a message of no issue (a confirmation). */
  issueId: string;
  /** The call's `Destinations`, in order. */
  recipients: readonly string[];
  /** 1 for the first call to these recipients for this issue, 2 for the next, and so on. */
  attempt: number;
}

/**
 * The fault of one `SendRawEmail` call, or undefined for none: fixed by the seed and the
 * call's identity, so the same seed fails the same calls whatever the order of the calls.
 */
export function sesFaultOf(
  faults: SesFaults,
  seed: string,
  call: SesCallIdentity,
): SesFault | undefined {
  const draw = faultDraw(seed, 'ses', call.issueId, call.recipients.join(','), call.attempt);
  return pickSesFault(faults, draw);
}
