import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import { recipientFields } from '#core/rendering/recipient-fields.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';

const renderedSchema = z.object({
  issueId: z.string().min(1),
  subject: z.string(),
  preheader: z.string(),
  html: z.string(),
  text: z.string(),
  markers: z.object(
    Object.fromEntries(recipientFields.map((field) => [field, z.string()])) as Record<
      (typeof recipientFields)[number],
      z.ZodString
    >,
  ),
});

/**
 * Rendered issues for test sends and the senders in S3, `rendered/<issueId>/<sha256>.json`
 * in the archive bucket: the HTML and text with their per-recipient markers. Not public (the
 * public copy, without markers, is the archive's).
 */
export class S3RenderedIssueStore implements RenderedIssueStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(rendered: RenderedIssue, sha256: string): Promise<void> {
    const { issueId, subject, preheader, html, text, markers } = rendered;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: keyOf(issueId, sha256),
        Body: JSON.stringify({ issueId, subject, preheader, html, text, markers }),
        ContentType: 'application/json',
      }),
    );
  }

  async get(issueId: string, sha256: string): Promise<RenderedIssue | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(issueId, sha256) }),
      );
      const body = await object.Body?.transformToString('utf8');
      if (body === undefined) return undefined;
      return renderedSchema.parse(JSON.parse(body));
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        return undefined;
      }
      throw error;
    }
  }
}

function keyOf(issueId: string, sha256: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(issueId)) throw new RangeError('an issue id is opaque');
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('a render is named by its SHA-256');
  return `rendered/${issueId}/${sha256}.json`;
}
