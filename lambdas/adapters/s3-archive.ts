import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { IssueArchive } from '#core/issues/ports.ts';
import { s3 } from './aws-clients.ts';
import { buckets, resourceFromEnv } from './resources.ts';

/** The key of an issue's archived HTML. */
export function issueKey(issueId: string): string {
  return `issues/${issueId}.html`;
}

/**
 * The public archive of issues in S3: `issues/<issueId>.html`, UTF-8 HTML without personal
 * data. The bucket stays private; the HTTP API reads it and serves the pages.
 */
export class S3Archive implements IssueArchive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putIssue(issueId: string, html: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: issueKey(issueId),
        Body: html,
        ContentType: 'text/html; charset=utf-8',
      }),
    );
  }

  async getIssue(issueId: string): Promise<string | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: issueKey(issueId) }),
      );
      return (await object.Body?.transformToString('utf-8')) ?? undefined;
    } catch (error) {
      // S3 names a missing key NoSuchKey; an S3-compatible store may send only the 404.
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }
}

/** The archive in the bucket this process's environment names (`ARCHIVE_BUCKET`). */
export function archiveFromEnv(env = process.env): S3Archive {
  return new S3Archive(s3(), resourceFromEnv(buckets.archive, env));
}
