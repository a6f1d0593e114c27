import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbAuditTrail } from '#adapters/dynamodb-audit-trail.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbRateCounters } from '#adapters/dynamodb-rate-counters.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSignupQueue } from '#adapters/dynamodb-signup-queue.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { tables } from '#adapters/tables.ts';
import { describeArticleStoreContract } from '../../contracts/article-store-contract.ts';
import { describeAuditTrailContract } from '../../contracts/audit-trail-contract.ts';
import { describeIssueStoreContract } from '../../contracts/issue-store-contract.ts';
import { describeRateCountersContract } from '../../contracts/rate-counters-contract.ts';
import { describeSendLedgerContract } from '../../contracts/send-ledger-contract.ts';
import { describeSignupQueueContract } from '../../contracts/signup-queue-contract.ts';
import { describeSubscriberPagesContract } from '../../contracts/subscriber-pages-contract.ts';
import { describeSubscriberStoreContract } from '../../contracts/subscriber-store-contract.ts';
import { describeSuppressionStoreContract } from '../../contracts/suppression-store-contract.ts';
import { useFreshResources } from './fresh-resources.ts';

const aws = useFreshResources();

describeArticleStoreContract(
  'DynamoDbArticleStore',
  async () => new DynamoDbArticleStore(aws.local.documents, await aws.fresh.table(tables.articles)),
);
describeIssueStoreContract(
  'DynamoDbIssueStore',
  async () => new DynamoDbIssueStore(aws.local.documents, await aws.fresh.table(tables.issues)),
);
describeSendLedgerContract(
  'DynamoDbSendLedger',
  async () => new DynamoDbSendLedger(aws.local.documents, await aws.fresh.table(tables.sends)),
);
describeSubscriberStoreContract(
  'DynamoDbSubscriberStore',
  async () =>
    new DynamoDbSubscriberStore(aws.local.documents, await aws.fresh.table(tables.subscribers)),
);
describeSubscriberPagesContract(
  'DynamoDbSubscriberStore',
  async () =>
    new DynamoDbSubscriberStore(aws.local.documents, await aws.fresh.table(tables.subscribers)),
);
describeSuppressionStoreContract(
  'DynamoDbSuppressionStore',
  async () =>
    new DynamoDbSuppressionStore(aws.local.documents, await aws.fresh.table(tables.suppressions)),
);
describeAuditTrailContract(
  'DynamoDbAuditTrail',
  async () => new DynamoDbAuditTrail(aws.local.documents, await aws.fresh.table(tables.audit)),
);
describeSignupQueueContract(
  'DynamoDbSignupQueue',
  async () => new DynamoDbSignupQueue(aws.local.documents, await aws.fresh.table(tables.signups)),
);
describeRateCountersContract(
  'DynamoDbRateCounters',
  async () => new DynamoDbRateCounters(aws.local.documents, await aws.fresh.table(tables.counters)),
);
