import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { MEDIA_CACHE_CONTROL, mediaContentTypes, parseMediaKey } from '#core/media/media-key.ts';
import type { MediaStore, StoredMedia } from '#core/media/ports.ts';
import { s3 } from './aws-clients.ts';
import { buckets, resourceFromEnv } from './resources.ts';

/**
 * Processed images in S3, `media/<sha256>.jpg|png` in the archive bucket, each stored with its
 * `Content-Type` and `MEDIA_CACHE_CONTROL`. The bucket stays private; whatever serves the
 * images reads them through this store.
 */
export class S3MediaStore implements MediaStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { format } = checkKey(key);
    if (contentType !== mediaContentTypes[format]) {
      throw new RangeError(
        `${key} is ${mediaContentTypes[format]}, not ${contentType}: store it with its own type`,
      );
    }
    // A key names its bytes, so an object already there is this one: skip the upload. Two
    // puts racing both upload the same bytes, which is harmless.
    if (await this.has(key)) return;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: MEDIA_CACHE_CONTROL,
      }),
    );
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    checkKey(key);
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (!object.Body) return undefined;
      return {
        bytes: await object.Body.transformToByteArray(),
        contentType: object.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.size(key)) !== undefined;
  }

  async size(key: string): Promise<number | undefined> {
    checkKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/** The media store in the bucket this process's environment names (`ARCHIVE_BUCKET`). */
export function mediaStoreFromEnv(env = process.env): S3MediaStore {
  return new S3MediaStore(s3(), resourceFromEnv(buckets.archive, env));
}

/** Keeps the store to `media/`: any other key of the bucket (issues, rendered) is refused. */
function checkKey(key: string): NonNullable<ReturnType<typeof parseMediaKey>> {
  const parsed = parseMediaKey(key);
  if (!parsed) {
    throw new RangeError(`${JSON.stringify(key)} is not a media key: make one with mediaKey()`);
  }
  return parsed;
}

function isNotFound(error: unknown): boolean {
  // S3 names a missing key NoSuchKey on GET; HEAD has no body, so only its 404 says so.
  if (error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}
