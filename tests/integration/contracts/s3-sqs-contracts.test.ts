import { S3MediaStore } from '#adapters/s3-media-store.ts';
import { S3RenderedIssueStore } from '#adapters/s3-rendered-issue-store.ts';
import { SqsSendQueue } from '#adapters/sqs-send-queue.ts';
import type { SendQueueMessage } from '#core/sending/ports.ts';
import { describeMediaStoreContract } from '../../contracts/media-store-contract.ts';
import { describeRenderedIssueStoreContract } from '../../contracts/rendered-issue-store-contract.ts';
import { describeSendQueueContract } from '../../contracts/send-queue-contract.ts';
import { useFreshResources } from './fresh-resources.ts';

const aws = useFreshResources();

describeRenderedIssueStoreContract(
  'S3RenderedIssueStore',
  async () => new S3RenderedIssueStore(aws.fresh.s3, await aws.fresh.bucket()),
);
describeMediaStoreContract(
  'S3MediaStore',
  async () => new S3MediaStore(aws.fresh.s3, await aws.fresh.bucket()),
);
describeSendQueueContract('SqsSendQueue', async () => {
  const url = await aws.fresh.queue();
  return {
    queue: new SqsSendQueue(aws.fresh.sqs, url),
    takeAll: async () =>
      (await aws.fresh.drain(url)).map((body) => JSON.parse(body) as SendQueueMessage),
  };
});
