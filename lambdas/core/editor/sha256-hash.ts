import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** What SigV4's hash is given: text (UTF-8), or bytes. */
type HashInput = string | ArrayBuffer | ArrayBufferView;

/**
 * SHA-256, or HMAC-SHA256 when made with a key, on Node's crypto, in the shape that
 * `SignatureV4` from `@smithy/signature-v4` takes as its `sha256` (the SDK's clients give it
 * their own, of the same behaviour): signing and checking a signature use this one.
 */
export class Sha256Hash {
  private hash: Hash | Hmac;

  constructor(private readonly key?: HashInput) {
    this.hash = start(key);
  }

  /** Adds `data` to what is hashed. */
  update(data: HashInput): void {
    this.hash.update(bytesOf(data));
  }

  /** The hash of everything added since the start or the last `reset`. */
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  /** Starts again, with the same key. */
  reset(): void {
    this.hash = start(this.key);
  }
}

function start(key: HashInput | undefined): Hash | Hmac {
  return key === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(key));
}

function bytesOf(data: HashInput): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** The SHA-256 of `bytes`, in lower-case hexadecimal, as SigV4 writes a payload's hash. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
