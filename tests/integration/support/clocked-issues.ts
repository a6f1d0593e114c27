import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { ulid } from 'ulid';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { FileImageSource } from '#adapters/file-image-source.ts';
import { HttpsImageFetcher } from '#adapters/https-image-fetcher.ts';
import { issueDepsFromEnv } from '#adapters/issue-deps-from-env.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { type TableDefinition, tables } from '#adapters/tables.ts';
import { type LocalRuntime, startLocalRuntime } from '#cli/local/local-runtime.ts';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';
import { localHandlers } from '#cli/local-handlers.ts';
import type { Article } from '#core/articles/article.ts';
import { importArticlesWithImages } from '#core/articles/import-articles-with-images.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { type Config, parseConfig } from '#core/common/config.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { startProvisionedAws } from './local-aws.ts';
import { repoRoot } from './run-cli.ts';

// The issue code on the embedded services, with a clock the tests move: it runs in-process on
// the real adapters (`issueDepsFromEnv`), with `now()` read from the tests' clock; the
// senders are the real send-batch handler, run against the local send queue by the local
// runtime (as `newsletter` runs it), so every message really reaches the local SES's outbox.
// The senders themselves keep the system's time: only the issue code is moved.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The longest a few messages may take to go out on a slow, shared machine. */
export const SEND_WAIT_MS = 40_000;
/** A little more than the local runtime's long polls of the send queue (1 s). */
const LONG_POLL_MS = 1_500;

export type ProvisionedAws = Awaited<ReturnType<typeof startProvisionedAws>>;

/** The services, the issue code's dependencies, and what the tests stored before they run. */
export interface ClockedIssues {
  local: ProvisionedAws;
  /** The one configuration of the issue code and of the senders. */
  config: Config;
  deps: IssueDeps;
  /** The sample articles as the import stored them (photos in the local S3). */
  samples: Map<string, Article>;
  /** Each reader's subscriber id, by address. */
  readerIds: Map<string, string>;
}

/**
 * Starts the local services, with their variables in `process.env` (the adapters, the
 * handlers and their SDK clients read the standard AWS variables and the resources' names
 * from the environment, as in a `newsletter` process), then imports the sample articles and
 * adds `readers` as active subscribers of 30 days, at the clock's time.
 * @param settings keys of `newsletter.config.json` set otherwise for these tests
 */
export async function startClockedIssues(options: {
  clock: { now: number };
  readers: readonly string[];
  settings?: Record<string, unknown>;
}): Promise<ClockedIssues> {
  const { clock } = options;
  const local = await startProvisionedAws();
  Object.assign(process.env, local.env);
  const config = parseConfig(
    {
      ...JSON.parse(await readFile(join(repoRoot, 'newsletter.config.json'), 'utf8')),
      ...options.settings,
    },
    {},
  );
  const deps: IssueDeps = {
    ...issueDepsFromEnv(
      config,
      await loadTemplates(),
      async (issueId, content) => {
        await archiveFromEnv().putIssue(issueId, content.html);
      },
      () => {},
      config.localSendUnknownWindowSeconds,
    ),
    now: () => new Date(clock.now),
  };
  const samples = await importSamples(config, deps, new Date(clock.now));
  const subscribers = new DynamoDbSubscriberStore(local.documents, tables.subscribers.localName);
  const readerIds = new Map<string, string>();
  for (const email of options.readers) {
    const id = ulid();
    await subscribers.add({
      id,
      email,
      status: 'active',
      source: 'cli',
      createdAt: new Date(clock.now - 30 * DAY).toISOString(),
    });
    readerIds.set(email, id);
  }
  return { local, config, deps, samples, readerIds };
}

/** The sample articles through the import (`newsletter import` does the same). */
async function importSamples(
  config: Config,
  deps: IssueDeps,
  now: Date,
): Promise<Map<string, Article>> {
  const dir = join(repoRoot, 'samples/articles');
  const parsed = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.txt'))) {
    const file = join(dir, name);
    parsed.push(...parseArticleFile({ name: file, bytes: await readFile(file) }, { now }));
  }
  const { articles } = await importArticlesWithImages(
    {
      articles: deps.articles,
      media: mediaStoreFromEnv(),
      processor: new SharpImageProcessor(),
      files: new FileImageSource('/'),
      fetcher: new HttpsImageFetcher(),
      config,
    },
    parsed,
  );
  return new Map(articles.map((article) => [article.id, article]));
}

/** Deletes every item of a table. */
export async function wipe(local: ProvisionedAws, table: TableDefinition): Promise<void> {
  const keys: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await local.documents.send(
      new ScanCommand({ TableName: table.localName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? [])
      keys.push({ [table.partitionKey]: item[table.partitionKey] });
    start = page.LastEvaluatedKey;
  } while (start);
  for (let i = 0; i < keys.length; i += 25) {
    await local.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.localName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
        },
      }),
    );
  }
}

/** The local runtime: the senders (send-batch handler) and the SES events handler. */
export function startSenders(local: ProvisionedAws, config: Config): Promise<LocalRuntime> {
  return startLocalRuntime({
    stateDir: local.stateDir,
    config,
    env: local.env,
    ses: local.aws.ses,
    handlers: localHandlers(config, local.stateDir),
  });
}

/** Stops the local runtime, if one runs, and lets its last receive end. */
export async function stopSenders(runtime: LocalRuntime | undefined): Promise<void> {
  await runtime?.stop();
  // A stopped poller's last receive (a long poll of 1 s) goes on in the local SQS, which
  // would hand the next test's first page to nobody, hidden for its visibility timeout.
  await new Promise((resolve) => setTimeout(resolve, LONG_POLL_MS));
}

/** Waits until the issue's ledger says `count` recipients were sent the issue. */
export async function untilSent(deps: IssueDeps, issueId: string, count: number): Promise<void> {
  const until = Date.now() + SEND_WAIT_MS;
  for (;;) {
    const counts = await deps.ledger.counts(issueId);
    if (counts.sent === count) return;
    if (Date.now() > until) {
      throw new Error(
        `issue ${issueId} was not sent to ${count} readers: ${JSON.stringify(counts)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The local SES's outbox: each message accepted for the issue, with its record and subject. */
export async function outbox(
  local: ProvisionedAws,
  issueId: string,
): Promise<{ record: OutboxRecord; subject: string }[]> {
  const dir = local.aws.outboxDir;
  const found: { record: OutboxRecord; subject: string }[] = [];
  for (const name of (await outboxNames(dir)).filter((n) => n.endsWith('.json'))) {
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    if (record.tags.issueId !== issueId) continue;
    const mail = await simpleParser(await readFile(join(dir, name.replace(/\.json$/, '.eml'))));
    found.push({ record, subject: mail.subject ?? '' });
  }
  return found;
}

/** The files in the outbox; none before the local SES accepted its first message. */
async function outboxNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Messages of the issue per address in the outbox. */
export async function perAddress(
  local: ProvisionedAws,
  issueId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { record } of await outbox(local, issueId)) {
    for (const address of record.destinations) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
}
