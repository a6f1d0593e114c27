import type { LogLine } from '#core/common/log-line.ts';
import { dynamoDb, s3, ses, sqs } from './aws-clients.ts';
import { DynamoDbArticleStore } from './dynamodb-article-store.ts';
import { DynamoDbIssueStore } from './dynamodb-issue-store.ts';
import { DynamoDbSendLeases } from './dynamodb-send-leases.ts';
import { DynamoDbSendLedger } from './dynamodb-send-ledger.ts';
import { DynamoDbSubscriberStore } from './dynamodb-subscriber-store.ts';
import { buckets, queues, resourceFromEnv } from './resources.ts';
import { S3RenderedIssueStore } from './s3-rendered-issue-store.ts';
import { SesMailer } from './ses-mailer.ts';
import { SesSendQuota } from './ses-send-quota.ts';
import { SqsEventBacklog } from './sqs-event-backlog.ts';
import { SqsSendQueue } from './sqs-send-queue.ts';
import { tableName, tables } from './tables.ts';

/**
 * The adapters that sending an issue uses, on the resources this process's environment
 * names. Each is built when read (no I/O: the SDK clients are shared), so a function only
 * needs the variables of what it uses (a Lambda function is given exactly those).
 * @param log where an adapter reports what it works around (a failed `GetSendQuota`);
 *   default the console
 */
export function sendingAdapters(configurationSet: string, env = process.env, log?: LogLine) {
  return {
    get articles() {
      return new DynamoDbArticleStore(dynamoDb(), tableName(tables.articles, env));
    },
    /** The subscriber store, read in pages and by id. */
    get subscriberPages() {
      return new DynamoDbSubscriberStore(dynamoDb(), tableName(tables.subscribers, env));
    },
    get issues() {
      return new DynamoDbIssueStore(dynamoDb(), tableName(tables.issues, env));
    },
    get ledger() {
      return new DynamoDbSendLedger(dynamoDb(), tableName(tables.sends, env));
    },
    /** The senders' leases on issues, beside the ledger's records in the sends table. */
    get leases() {
      return new DynamoDbSendLeases(dynamoDb(), tableName(tables.sends, env));
    },
    get renderedIssues() {
      return new S3RenderedIssueStore(s3(), resourceFromEnv(buckets.archive, env));
    },
    get queue() {
      return new SqsSendQueue(sqs(), resourceFromEnv(queues.send, env));
    },
    get events() {
      return new SqsEventBacklog(
        sqs(),
        resourceFromEnv(queues.sesEvents, env),
        resourceFromEnv(queues.sesEvents.deadLetter, env),
      );
    },
    get quota() {
      return new SesSendQuota(ses(), { log });
    },
    get mailer() {
      return new SesMailer(ses(), configurationSet);
    },
  };
}
