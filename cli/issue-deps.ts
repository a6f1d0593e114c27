import { dynamoDb } from '#adapters/aws-clients.ts';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { issueDepsFromEnv } from '#adapters/issue-deps-from-env.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { sendingAdapters } from '#adapters/sending-adapters.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { Config } from '#core/common/config.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import type { CommandContext } from './command-context.ts';
import { writeLocalIssue } from './local-archive.ts';
import { textLog } from './text-log.ts';

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

/**
 * Seconds an unknown outcome waits for SES's `Send` event, as the senders of the target use
 * it: the deployed functions' `sendUnknownWindowSeconds`, or the local runtime's
 * `localSendUnknownWindowSeconds`.
 */
export function unknownWindowSeconds(config: Config, targetsAws: boolean): number {
  return targetsAws ? config.sendUnknownWindowSeconds : config.localSendUnknownWindowSeconds;
}

/**
 * What `finishIssue` needs besides the stores: where SES events wait, and the senders'
 * window (see `unknownWindowSeconds`).
 */
export function finishDeps(config: Config, targetsAws: boolean) {
  return {
    events: sendingAdapters(config.configurationSet).events,
    unknownWindowSeconds: unknownWindowSeconds(config, targetsAws),
  };
}

/**
 * Everything `sendIssue` and `previewIssue` need, wired to this process's environment.
 * @param targetsAws whether the issue is sent by a deployed stack (else by the local runtime)
 */
export async function issueDeps(
  config: Config,
  stateDir: string,
  targetsAws: boolean,
): Promise<IssueDeps> {
  return issueDepsFromEnv(
    config,
    await loadTemplates(),
    async (issueId, content) => {
      await archiveFromEnv().putIssue(issueId, content.html);
      // The demo and `send` print where the rendered issue is on this machine.
      await writeLocalIssue(stateDir, issueId, content);
    },
    // Beside the command's own output, which `--json` keeps for the result on stdout.
    textLog(process.stderr),
    unknownWindowSeconds(config, targetsAws),
  );
}

/** Runs `work` on the command's services, with everything an issue needs (`issueDeps`). */
export function withIssueDeps<T>(
  context: CommandContext,
  work: (deps: IssueDeps) => Promise<T>,
): Promise<T> {
  return context.withServices(async () =>
    work(await issueDeps(await context.config(), context.stateDir, context.targetsAws)),
  );
}
