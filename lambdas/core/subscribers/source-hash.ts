import { createHmac } from 'node:crypto';
import { sourceNetwork } from './source-network.ts';

/**
 * A keyed hash of the network a request came from (`sourceNetwork`): HMAC-SHA256 under the
 * hash key, apart from the addresses' hashes and the links by a prefix, base64url. What the
 * sign-up counters are kept under: no IP address is stored, and nobody without the key can
 * test a guessed one against it.
 */
export function sourceHash(key: Uint8Array, address: string | undefined): string {
  return createHmac('sha256', key)
    .update(`source\n${sourceNetwork(address)}`)
    .digest('base64url');
}
