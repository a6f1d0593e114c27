import type { LinkKeyListing } from '#core/keys/list-link-keys.ts';
import type { LinkKeyRetirement } from '#core/keys/retire-link-key.ts';
import type { RotatedLinkKey } from '#core/keys/rotate-link-key.ts';
import type { EditorApiClient } from './editor-api-client.ts';

/**
 * The link-key routes of a deployed stack's editor API (senders only), as the `keys` commands
 * use them with `NEWSLETTER_TARGET=aws`: each answers what the command prints locally.
 */
export class RemoteLinkKeys {
  constructor(private readonly api: EditorApiClient) {}

  /** The keys kept, newest first (`GET /keys`). */
  async list(): Promise<LinkKeyListing[]> {
    return (await this.api.json<{ keys: LinkKeyListing[] }>('GET', '/keys')).keys;
  }

  /** A new key, the others kept (`POST /keys`). */
  rotate(): Promise<RotatedLinkKey> {
    return this.api.json<RotatedLinkKey>('POST', '/keys');
  }

  /**
   * Retires `kid` and tells what it broke (`POST /keys/:kid/retire`, `{ "confirm": true }`),
   * or with `dryRun` only tells.
   */
  retire(kid: string, options: { dryRun: boolean }): Promise<LinkKeyRetirement> {
    return this.api.json<LinkKeyRetirement>('POST', `/keys/${encodeURIComponent(kid)}/retire`, {
      json: options.dryRun ? {} : { confirm: true },
    });
  }
}
