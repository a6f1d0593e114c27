import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { buckets } from '#adapters/resources.ts';

/**
 * An S3 client for the embedded services that `env` describes (the standard AWS variables).
 * Path-style, because the embedded S3 answers on one host, not on a host per bucket.
 */
export function localS3Client(env: Record<string, string | undefined>): S3Client {
  return new S3Client({
    endpoint: env.AWS_ENDPOINT_URL_S3,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    forcePathStyle: true,
  });
}

/** Every key under media/ in `bucket` (the provisioned archive bucket unless named), sorted. */
export async function mediaKeys(
  s3: S3Client,
  bucket: string = buckets.archive.localName,
): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'media/' }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}
