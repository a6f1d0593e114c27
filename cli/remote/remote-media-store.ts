import type { MediaSettings, MediaUpload } from '#app/editor-api/media-upload.ts';
import type { MediaStore, StoredMedia } from '#core/media/ports.ts';
import type { EditorApiClient } from './editor-api-client.ts';

/**
 * A deployed stack's photos, through its editor API (`GET /media`, `POST /media`): what a
 * remote `newsletter import` asks and stores. The API reads no photo back (the stack serves
 * them at their addresses), so `get` and `size` are refused.
 */
export class RemoteMediaStore implements MediaStore {
  constructor(private readonly api: EditorApiClient) {}

  /** Where the stack serves stored photos, and the largest it takes. */
  settings(): Promise<MediaSettings> {
    return this.api.json<MediaSettings>('GET', '/media');
  }

  async has(key: string): Promise<boolean> {
    const { stored } = await this.api.json<MediaSettings>('GET', '/media', { query: { key } });
    return stored === true;
  }

  /**
   * Uploads a processed photo; the stack stores it under the key its bytes give.
   * @throws Error when that key is not `key`: the stack would serve it elsewhere
   */
  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const answer = await this.api.json<MediaUpload>('POST', '/media', {
      body: { bytes, contentType },
    });
    if (answer.key !== key) {
      throw new Error(`the editor API stored the photo ${key} as ${answer.key}`);
    }
  }

  async get(): Promise<StoredMedia | undefined> {
    throw new Error('the editor API reads no photo back: it is served at its address');
  }

  async size(): Promise<number | undefined> {
    throw new Error('the editor API reads no photo back: it is served at its address');
  }
}
