import { ulid } from 'ulid';
import { dynamoDb } from '#adapters/aws-clients.ts';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { sendingAdapters } from '#adapters/sending-adapters.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { Config } from '#core/config.ts';
import { renderIssue } from '#core/render/render-issue.ts';
import type { IssueDeps } from '#core/send-issue.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { writeLocalIssue } from './local-archive.ts';

/** The stores of this process's environment. */
export function stores() {
  const client = dynamoDb();
  return {
    articles: new DynamoDbArticleStore(client, tableName(tables.articles)),
    subscribers: new DynamoDbSubscriberStore(client, tableName(tables.subscribers)),
    issues: new DynamoDbIssueStore(client, tableName(tables.issues)),
    ledger: new DynamoDbSendLedger(client, tableName(tables.sends)),
  };
}

/** Everything `sendIssue` and `previewIssue` need, wired to this process's environment. */
export async function issueDeps(config: Config, stateDir: string): Promise<IssueDeps> {
  const templates = await loadTemplates();
  const adapters = sendingAdapters(config.configurationSet);
  return {
    config,
    articles: adapters.articles,
    subscriberPages: adapters.subscriberPages,
    issues: adapters.issues,
    ledger: adapters.ledger,
    queue: adapters.queue,
    quota: adapters.quota,
    renderedIssues: adapters.renderedIssues,
    renderIssue: (view) => renderIssue(view, templates),
    newId: () => ulid(),
    now: () => new Date(),
    archive: async (issueId, content) => {
      await archiveFromEnv().putIssue(issueId, content.html);
      await writeLocalIssue(stateDir, issueId, content);
    },
  };
}
