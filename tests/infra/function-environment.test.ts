import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENV } from '#adapters/config-from-env.ts';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { LINK_KEYS_SECRET_ENV } from '#adapters/secrets-manager-link-keys.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import { FIRST_KID } from '#core/subscribers/link-keys.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import type { HandlerName } from '../../infra/newsletter-function.ts';
import { startProvisionedAws } from '../integration/support/local-aws.ts';
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from './support/local-secrets-manager.ts';
import { type SynthesizedApp, synthApp } from './support/synth-app.ts';

// Each handler runs from its source in a process of its own whose environment is its
// function's, as the stack sets it, and nothing else: each value only a deployment knows (a
// table's name, a queue's URL, the secret's ARN) is replaced by the embedded AWS's, whose
// endpoints stand in for AWS. A variable the stack forgot is then missing, as on Lambda.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** What the stack sets to its API's URL, known once deployed. */
const PUBLIC_BASE_URL_ENV = 'NEWSLETTER_PUBLIC_BASE_URL';
/** What the stack sets to its media distribution's URL, known once deployed. */
const MEDIA_BASE_URL_ENV = 'NEWSLETTER_MEDIA_BASE_URL';
const TOKEN_KEY_SECRET = 'newsletter-token-key';
/** The secret's value: its UTF-8 bytes are the key of subscriber links. */
const TOKEN_KEY = randomBytes(32).toString('hex');
/** The link keys as the stack creates them: kid "0" with the token key's value. */
const LINK_KEYS_SECRET = 'newsletter-link-keys';
const READER_ID = '01M8BDWP00R8Y3V5N7Q9T1W4BD';

/** One sample event per trigger, and what the handler must answer to it. */
const cases: Record<HandlerName, { event: string; answer: Record<string, unknown> }> = {
  // A reader's unsubscribe link: checked with the link key, the reader looked up.
  'http-api': {
    event: fixture('http-api-get-unsubscribe.json').replaceAll(
      'TOKEN',
      signSubscriberToken(
        { kid: FIRST_KID, key: Buffer.from(TOKEN_KEY, 'utf8') },
        READER_ID,
        'unsubscribe',
      ),
    ),
    answer: { statusCode: 200 },
  },
  // An editor (an IAM principal) lists the issues: the ports are built, the link key read.
  'editor-api': { event: fixture('http-api-editor-get-issues.json'), answer: { statusCode: 200 } },
  // An article and a reader wait: an issue starts, is archived and its page enqueued.
  'scheduled-issue': {
    event: fixture('scheduler-invocation.json'),
    answer: { kind: 'started', source: 'planned', enqueued: 1 },
  },
  // A page of an issue that does not exist: read, found done, acknowledged.
  'send-batch': { event: fixture('sqs-send-page.json'), answer: { batchItemFailures: [] } },
  // A delivery to an address that is no subscriber: applied, acknowledged.
  'ses-events': { event: fixture('sqs-ses-delivery.json'), answer: { batchItemFailures: [] } },
};
const handlers = Object.keys(cases) as HandlerName[];

interface Ended {
  outcome: 'returned' | 'threw';
  result?: Record<string, unknown>;
  name?: string;
  message?: string;
  /** What the handler logged (the public app logs the errors it answers 500 for). */
  logs: string[];
}

let synthesized: SynthesizedApp;
let aws: Awaited<ReturnType<typeof startProvisionedAws>>;
let secretsManager: LocalSecretsManager;

beforeAll(async () => {
  synthesized = synthApp();
  aws = await startProvisionedAws();
  secretsManager = await startLocalSecretsManager({
    [TOKEN_KEY_SECRET]: TOKEN_KEY,
    [LINK_KEYS_SECRET]: JSON.stringify({ [FIRST_KID]: TOKEN_KEY }),
  });
  await new DynamoDbArticleStore(aws.documents, aws.env[tables.articles.env] ?? '').putAll([
    {
      id: 'harbour-choir',
      headline: 'Harbour Choir Sings at Dawn',
      publishedAt: '2026-11-26T09:00:00Z',
      lead: { images: [], paragraphs: ['They sang.'] },
      slides: [],
    },
  ]);
  await new DynamoDbSubscriberStore(aws.documents, aws.env[tables.subscribers.env] ?? '').add({
    id: READER_ID,
    email: 'reader@example.com',
    status: 'active',
    source: 'cli',
    createdAt: '2026-11-01T00:00:00Z',
  });
}, 60_000);
afterAll(async () => {
  await secretsManager?.close();
  await aws?.stop();
  synthesized?.cleanUp();
});

/**
 * The variables the stack gives `handler`'s function, each deployment-only value replaced by
 * its local stand-in.
 */
function functionEnvironment(handler: HandlerName): Record<string, string> {
  const fn = Object.values(synthesized.stateless.functions).find(
    (candidate) => candidate.handlerName === handler,
  );
  if (!fn) throw new Error(`the stack has no function for ${handler}`);
  const resource = synthesized.statelessTemplate.toJSON().Resources[
    synthesized.stateless.getLogicalId(fn.node.defaultChild as CfnElement)
  ] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  const standIns: Record<string, string> = {
    ...aws.env,
    [PUBLIC_BASE_URL_ENV]: 'https://news.example.com',
    [MEDIA_BASE_URL_ENV]: 'https://media.example.com',
    [TOKEN_KEY_SECRET_ENV]: secretsManager.arnOf(TOKEN_KEY_SECRET),
    [LINK_KEYS_SECRET_ENV]: secretsManager.arnOf(LINK_KEYS_SECRET),
  };
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(resource.Properties.Environment.Variables)) {
    environment[name] = typeof value === 'string' ? value : (standIns[name] ?? `no-stand-in`);
  }
  return environment;
}

/**
 * The variables without which a function cannot work: all the stack sets but Node's options,
 * Powertools' names (its log and metrics would only say `service_undefined`), and the public
 * and media URLs, which only override the configuration's.
 */
function requiredVariables(handler: HandlerName): string[] {
  return Object.keys(functionEnvironment(handler)).filter(
    (name) =>
      name !== PUBLIC_BASE_URL_ENV &&
      name !== MEDIA_BASE_URL_ENV &&
      !name.startsWith('NODE_') &&
      !name.startsWith('POWERTOOLS_'),
  );
}

/** Whether the handler gave the answer its case expects. */
function answered(handler: HandlerName, ended: Ended): boolean {
  return (
    ended.outcome === 'returned' &&
    Object.entries(cases[handler].answer).every(
      ([key, value]) => JSON.stringify(ended.result?.[key]) === JSON.stringify(value),
    )
  );
}

/** Invokes `handler` once in a fresh process with `environment` and the local endpoints. */
async function invoke(handler: HandlerName, environment: Record<string, string>): Promise<Ended> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'tests/infra/support/invoke-handler.ts', handler, cases[handler].event],
    {
      cwd: repo,
      env: {
        PATH: process.env.PATH ?? '',
        ...environment,
        // The standard variables Lambda sets, pointing at the embedded AWS.
        AWS_REGION: aws.env.AWS_REGION ?? 'us-east-1',
        AWS_ACCESS_KEY_ID: aws.env.AWS_ACCESS_KEY_ID ?? '',
        AWS_SECRET_ACCESS_KEY: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
        ...Object.fromEntries(
          Object.entries(aws.env).filter(([name]) => name.startsWith('AWS_ENDPOINT_URL_')),
        ),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Ended;
}

/** `work` on each item, two at a time (one per core), in the order of `items`. */
async function mapTwoAtATime<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('each handler, given only its function’s environment', () => {
  it.each(handlers)('%s runs to its answer against the embedded AWS', async (handler) => {
    const ended = await invoke(handler, functionEnvironment(handler));

    expect(ended).toMatchObject({ outcome: 'returned', result: cases[handler].answer });
  });

  it.each(handlers)(
    '%s fails, naming the variable, when any variable of its resources or configuration is missing',
    async (handler) => {
      const environment = functionEnvironment(handler);
      const required = requiredVariables(handler);

      const runs = await mapTwoAtATime(required, async (name) => {
        const { [name]: _left, ...without } = environment;
        const ended = await invoke(handler, without);
        const said = [ended.message ?? '', ...ended.logs].join('\n');
        return { name, answered: answered(handler, ended), named: said.includes(name) };
      });

      expect(required).toContain(CONFIG_ENV);
      expect(runs).toEqual(required.map((name) => ({ name, answered: false, named: true })));
    },
    120_000,
  );
});
