import { randomBytes } from 'node:crypto';
import { describeArticleStoreContract } from '../../contracts/article-store-contract.ts';
import { describeAuditTrailContract } from '../../contracts/audit-trail-contract.ts';
import { describeIssueStoreContract } from '../../contracts/issue-store-contract.ts';
import { describeLinkKeyStoreContract } from '../../contracts/link-key-store-contract.ts';
import { describeMediaStoreContract } from '../../contracts/media-store-contract.ts';
import { describeRateCountersContract } from '../../contracts/rate-counters-contract.ts';
import { describeRenderedIssueStoreContract } from '../../contracts/rendered-issue-store-contract.ts';
import { describeSendLeasesContract } from '../../contracts/send-leases-contract.ts';
import { describeSendLedgerContract } from '../../contracts/send-ledger-contract.ts';
import { describeSendQueueContract } from '../../contracts/send-queue-contract.ts';
import { describeSignupQueueContract } from '../../contracts/signup-queue-contract.ts';
import { describeSubscriberPagesContract } from '../../contracts/subscriber-pages-contract.ts';
import { describeSubscriberStoreContract } from '../../contracts/subscriber-store-contract.ts';
import { describeSuppressionStoreContract } from '../../contracts/suppression-store-contract.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { MemoryLinkKeys } from './memory-link-keys.ts';
import { MemoryMediaStore } from './memory-media-store.ts';
import { MemorySendLeases } from './memory-send-leases.ts';
import { MemoryRenderedIssueStore, MemorySendQueue } from './memory-sending.ts';
import { MemoryRateCounters, MemorySignupQueue } from './memory-signup-stores.ts';
import {
  MemoryArticleStore,
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
} from './memory-stores.ts';
import { MemorySuppressionStore } from './memory-subscription-stores.ts';

// The fakes stand in for the adapters in every unit test: they keep the same contracts.
describeArticleStoreContract('MemoryArticleStore', () => new MemoryArticleStore());
describeIssueStoreContract('MemoryIssueStore', () => new MemoryIssueStore());
describeMediaStoreContract('MemoryMediaStore', () => new MemoryMediaStore());
describeSendLedgerContract('MemorySendLedger', () => new MemorySendLedger());
describeSendLeasesContract('MemorySendLeases', () => new MemorySendLeases());
describeSubscriberStoreContract('MemorySubscriberStore', () => new MemorySubscriberStore());
describeSubscriberPagesContract('MemorySubscriberStore', () => new MemorySubscriberStore());
describeSuppressionStoreContract('MemorySuppressionStore', () => new MemorySuppressionStore());
describeRenderedIssueStoreContract(
  'MemoryRenderedIssueStore',
  () => new MemoryRenderedIssueStore(),
);
describeSendQueueContract('MemorySendQueue', () => {
  const queue = new MemorySendQueue();
  return {
    queue,
    async takeAll() {
      const taken = [...queue.messages.map((message) => message.page), ...queue.steps];
      queue.messages.length = 0;
      queue.steps.length = 0;
      return taken;
    },
  };
});
describeAuditTrailContract('MemoryAuditTrail', () => new MemoryAuditTrail());
describeSignupQueueContract('MemorySignupQueue', () => new MemorySignupQueue());
describeRateCountersContract('MemoryRateCounters', () => new MemoryRateCounters());
describeLinkKeyStoreContract('MemoryLinkKeys', () => {
  const firstKey = randomBytes(32);
  return { store: new MemoryLinkKeys(firstKey), firstKey };
});
