import { afterAll, beforeAll } from 'vitest';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { tables } from '#adapters/tables.ts';
import { describeArticleStoreContract } from '../../contracts/article-store-contract.ts';
import { describeIssueStoreContract } from '../../contracts/issue-store-contract.ts';
import { describeSendLedgerContract } from '../../contracts/send-ledger-contract.ts';
import { describeSubscriberPagesContract } from '../../contracts/subscriber-pages-contract.ts';
import { describeSubscriberStoreContract } from '../../contracts/subscriber-store-contract.ts';
import { describeSuppressionStoreContract } from '../../contracts/suppression-store-contract.ts';
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

describeArticleStoreContract(
  'DynamoDbArticleStore',
  async () => new DynamoDbArticleStore(local.documents, await fresh.table(tables.articles)),
);
describeIssueStoreContract(
  'DynamoDbIssueStore',
  async () => new DynamoDbIssueStore(local.documents, await fresh.table(tables.issues)),
);
describeSendLedgerContract(
  'DynamoDbSendLedger',
  async () => new DynamoDbSendLedger(local.documents, await fresh.table(tables.sends)),
);
describeSubscriberStoreContract(
  'DynamoDbSubscriberStore',
  async () => new DynamoDbSubscriberStore(local.documents, await fresh.table(tables.subscribers)),
);
describeSubscriberPagesContract(
  'DynamoDbSubscriberStore',
  async () => new DynamoDbSubscriberStore(local.documents, await fresh.table(tables.subscribers)),
);
describeSuppressionStoreContract(
  'DynamoDbSuppressionStore',
  async () => new DynamoDbSuppressionStore(local.documents, await fresh.table(tables.suppressions)),
);
