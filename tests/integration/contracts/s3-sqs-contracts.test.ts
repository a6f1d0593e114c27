import { afterAll, beforeAll } from 'vitest';
import { S3MediaStore } from '#adapters/s3-media-store.ts';
import { S3RenderedIssueStore } from '#adapters/s3-rendered-issue-store.ts';
import { SqsSendQueue } from '#adapters/sqs-send-queue.ts';
import type { PrepareStep, SendPage } from '#core/sending/ports.ts';
import { describeMediaStoreContract } from '../../contracts/media-store-contract.ts';
import { describeRenderedIssueStoreContract } from '../../contracts/rendered-issue-store-contract.ts';
import { describeSendQueueContract } from '../../contracts/send-queue-contract.ts';
import { startProvisionedAws } from '../support/local-aws.ts';
import { freshResources } from './fresh-resources.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let fresh: ReturnType<typeof freshResources>;
beforeAll(async () => {
  local = await startProvisionedAws();
  fresh = freshResources(local);
});
afterAll(async () => {
  fresh.stop();
  await local.stop();
});

describeRenderedIssueStoreContract(
  'S3RenderedIssueStore',
  async () => new S3RenderedIssueStore(fresh.s3, await fresh.bucket()),
);
describeMediaStoreContract(
  'S3MediaStore',
  async () => new S3MediaStore(fresh.s3, await fresh.bucket()),
);
describeSendQueueContract('SqsSendQueue', async () => {
  const url = await fresh.queue();
  return {
    queue: new SqsSendQueue(fresh.sqs, url),
    takeAll: async () =>
      (await fresh.drain(url)).map((body) => JSON.parse(body) as SendPage | PrepareStep),
  };
});
