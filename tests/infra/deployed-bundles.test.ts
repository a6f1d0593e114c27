import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { buckets, queues, topics } from '#adapters/resources.ts';
import { LINK_KEYS_SECRET_ENV } from '#adapters/secrets-manager-link-keys.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import { importArticles } from '#core/articles/import-articles.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { envNameOf } from '#core/common/config.ts';
import type { HandlerName } from '../../infra/newsletter-function.ts';
import { startProvisionedAws } from '../integration/support/local-aws.ts';
import { repoRoot } from '../integration/support/run-cli.ts';
import { readOutbox } from '../integration/support/subscription-outbox.ts';
import {
  functionVariables,
  invokeBundle,
  type SynthesizedBundles,
  synthBundles,
} from './support/deployed-bundles.ts';
import {
  type LocalSecretsManager,
  startLocalSecretsManager,
} from './support/local-secrets-manager.ts';

// The Lambda bundles that `cdk synth` builds, each run as Lambda would run it: imported by
// plain Node.js from its asset folder, with its function's environment from the template,
// against the embedded AWS. One reader goes from subscribing to being suppressed after a
// bounce; each step uses what the previous one left behind.

const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
/** SES's mailbox simulator: the local SES reports a permanent bounce for it. */
const reader = 'bounce@simulator.amazonses.com';
const publicBaseUrl = 'https://news.example.com';
/** Stands in for the media distribution's address, which the stack knows once deployed. */
const mediaBaseUrl = 'https://media.example.com';
const tokenKeySecret = 'newsletter-token-key';
/** The secret's value: its UTF-8 bytes are the key of subscriber links. */
const tokenKey = randomBytes(32).toString('hex');
/** The link keys as the stack creates them: kid "0" with the token key's value. */
const linkKeysSecret = 'newsletter-link-keys';

let synthesized: SynthesizedBundles;
let aws: Awaited<ReturnType<typeof startProvisionedAws>>;
let secretsManager: LocalSecretsManager;
let sqs: SQSClient;
let s3: S3Client;
let sns: SNSClient;

beforeAll(async () => {
  synthesized = synthBundles();
  aws = await startProvisionedAws();
  secretsManager = await startLocalSecretsManager({
    [tokenKeySecret]: tokenKey,
    [linkKeysSecret]: JSON.stringify({ '0': tokenKey }),
  });
  const client = {
    region: aws.env.AWS_REGION,
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  sqs = new SQSClient({ ...client, endpoint: aws.env.AWS_ENDPOINT_URL_SQS });
  s3 = new S3Client({ ...client, endpoint: aws.env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  sns = new SNSClient({ ...client, endpoint: aws.env.AWS_ENDPOINT_URL_SNS });
  // As the configuration set's event destination does on AWS: SES → SNS topic → SQS queue.
  const topicArn = aws.env[topics.sesEvents.env];
  await aws.aws.ses.publishEventsTo(async (message) => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  });
});

afterAll(async () => {
  for (const client of [sqs, s3, sns]) client?.destroy();
  await secretsManager?.close();
  await aws?.stop();
  synthesized?.cleanUp();
});

/**
 * The function's environment: its template's variables, each deployed resource replaced by
 * the embedded one, plus what the Lambda runtime and the embedded AWS add (region,
 * credentials, endpoints).
 */
function environmentOf(handler: HandlerName): Record<string, string> {
  const standIns: Record<string, string> = {
    ...aws.env,
    [TOKEN_KEY_SECRET_ENV]: secretsManager.arnOf(tokenKeySecret),
    [LINK_KEYS_SECRET_ENV]: secretsManager.arnOf(linkKeysSecret),
    [envNameOf('publicBaseUrl')]: publicBaseUrl,
    [envNameOf('mediaBaseUrl')]: mediaBaseUrl,
  };
  return {
    ...aws.aws.env,
    // Not one of the embedded services: see local-secrets-manager.ts.
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
    // What Lambda sets; this machine's Node.js is older than the runtime's, so the SDK's
    // notice about it is silenced.
    TZ: ':UTC',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...functionVariables(synthesized.bundles[handler], standIns),
  };
}

/** Invokes a bundle and gives back what its handler returned; fails with its logs otherwise. */
async function invoke<Result>(handler: HandlerName, event: unknown): Promise<Result> {
  const ended = await invokeBundle<Result>(
    synthesized.bundles[handler],
    environmentOf(handler),
    event,
  );
  if (ended.outcome === 'threw') {
    throw new Error(`${handler} threw ${ended.name}: ${ended.message}\n${ended.logs}`);
  }
  return ended.result;
}

interface ApiResponse {
  statusCode: number;
  body: string;
}

/** An API Gateway (HTTP API, payload 2.0) request, from the fixture. */
async function apiRequest(method: string, url: string, json?: unknown) {
  const { pathname, search } = new URL(url, publicBaseUrl);
  const event = await fixture('http-api-get-health.json');
  event.routeKey = 'ANY /{proxy+}';
  event.rawPath = pathname;
  event.rawQueryString = search.slice(1);
  event.requestContext.http.method = method;
  event.requestContext.http.path = pathname;
  event.requestContext.routeKey = event.routeKey;
  if (json !== undefined) {
    event.headers['content-type'] = 'application/json';
    event.body = JSON.stringify(json);
  }
  return event;
}

/** Who signs the editor's requests: the IAM principal that the HTTP API's authorizer names. */
const editorArn = 'arn:aws:iam::123456789012:user/ada';

/** An API Gateway (HTTP API, payload 2.0) request to the editor API, signed by `editorArn`. */
async function editorRequest(
  method: string,
  url: string,
  body?: { json: unknown } | { text: string; contentType: string },
) {
  const { pathname, search } = new URL(url, publicBaseUrl);
  const event = await fixture('http-api-editor-get-issues.json');
  event.rawPath = pathname;
  event.rawQueryString = search.slice(1);
  event.requestContext.http.method = method;
  event.requestContext.http.path = pathname;
  event.requestContext.authorizer.iam.userArn = editorArn;
  if (body && 'json' in body) {
    event.headers['content-type'] = 'application/json';
    event.body = JSON.stringify(body.json);
  } else if (body) {
    event.headers['content-type'] = body.contentType;
    event.body = body.text;
  }
  return event;
}

/** Every message waiting on a queue, received (and left there, invisible for a while). */
async function receiveAll(queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

/** The SQS event that Lambda's event source mapping makes of these messages, from the fixture. */
async function sqsEvent(queueUrl: string, messages: Message[]) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const [sample] = (await fixture('sqs-send-page.json')).Records;
  return {
    Records: messages.map((message) => ({
      ...sample,
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: message.Attributes,
      md5OfBody: message.MD5OfBody,
      eventSourceARN: Attributes?.QueueArn,
      awsRegion: aws.env.AWS_REGION,
    })),
  };
}

const subscribers = () =>
  new DynamoDbSubscriberStore(aws.documents, aws.env[tables.subscribers.env] ?? '');

describe('the synthesized Lambda bundles, run with their functions’ environments', () => {
  let issueId: string;
  let articleId: string;
  let page: Message[];

  it('http-api answers a subscribe with 202 and queues it; scheduled-issue’s minute tick mails its confirmation', async () => {
    const response = await invoke<ApiResponse>(
      'http-api',
      await apiRequest('POST', '/subscribe', { email: reader }),
    );
    const mailedAtOnce = (await readOutbox(aws.stateDir)).length;

    const tick = await invoke<{ kind: string }>('scheduled-issue', { tick: true });

    expect(response.statusCode).toBe(202);
    expect(mailedAtOnce).toBe(0);
    expect(tick.kind).toBe('nothing');
    const outbox = await readOutbox(aws.stateDir);
    expect(outbox.map((message) => message.record.destinations)).toEqual([[reader]]);
    expect(outbox[0]?.mail.text).toContain(`${publicBaseUrl}/confirm?token=`);
  });

  it('http-api confirms the subscription through the mailed link', async () => {
    const [confirmation] = await readOutbox(aws.stateDir);
    const link = /https:\/\/\S+\/confirm\?token=[\w.-]+/.exec(confirmation?.mail.text ?? '')?.[0];

    const response = await invoke<ApiResponse>('http-api', await apiRequest('POST', link ?? ''));

    expect(response.statusCode).toBe(200);
    expect((await subscribers().findByEmail(reader))?.status).toBe('active');
  });

  it('scheduled-issue renders the issue into the bucket and queues its page of recipients', async () => {
    const file = join(repoRoot, 'samples/articles/midnight-museum-tour.txt');
    const parsed = parseArticleFile(
      { name: file, bytes: await readFile(file) },
      { now: new Date() },
    );
    const [article] = await importArticles(
      new DynamoDbArticleStore(aws.documents, aws.env[tables.articles.env] ?? ''),
      parsed,
    );

    const result = await invoke<{ issueId: string; kind: string; enqueued: number }>(
      'scheduled-issue',
      await fixture('scheduler-invocation.json'),
    );

    expect(result).toMatchObject({ kind: 'started', source: 'planned', enqueued: 1 });
    issueId = result.issueId;
    articleId = article?.id ?? '';
    const subscriberId = (await subscribers().findByEmail(reader))?.id;
    page = await receiveAll(aws.env[queues.send.env] ?? '');
    expect(page.map((message) => JSON.parse(message.Body ?? ''))).toEqual([
      { issueId, subscriberIds: [subscriberId] },
    ]);
    const archived = await s3.send(
      new GetObjectCommand({
        Bucket: aws.env[buckets.archive.env],
        Key: `issues/${issueId}.html`,
      }),
    );
    expect(await archived.Body?.transformToString('utf8')).toContain(article?.headline);
  });

  it('send-batch sends the queued page: the digest is in the SES outbox', async () => {
    const sendQueue = aws.env[queues.send.env] ?? '';

    const response = await invoke<{ batchItemFailures: unknown[] }>(
      'send-batch',
      await sqsEvent(sendQueue, page),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const digests = (await readOutbox(aws.stateDir)).filter(
      (message) => message.record.tags.issueId === issueId,
    );
    expect(digests.map((message) => message.record.destinations)).toEqual([[reader]]);
  });

  it('ses-events applies the bounce that SES reported: the subscriber ends suppressed', async () => {
    const eventsQueue = aws.env[queues.sesEvents.env] ?? '';
    const events = await receiveAll(eventsQueue);
    expect(
      events.map((message) => JSON.parse(JSON.parse(message.Body ?? '').Message).eventType),
    ).toContain('Bounce');

    const response = await invoke<{ batchItemFailures: unknown[] }>(
      'ses-events',
      await sqsEvent(eventsQueue, events),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await subscribers().findByEmail(reader)).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'bounce' },
    });
  });

  it('editor-api drafts an issue of the sent article with MJML from its bundle, as the IAM principal who asked', async () => {
    const response = await invoke<ApiResponse>(
      'editor-api',
      await editorRequest('POST', '/editor/issues', { json: { articleIds: [articleId] } }),
    );

    expect(response.statusCode).toBe(201);
    const draft = JSON.parse(response.body);
    expect(draft).toMatchObject({ state: 'draft', articleIds: [articleId] });
    expect(draft.timeline).toEqual([
      expect.objectContaining({ action: 'draft', actor: `iam:${editorArn}` }),
    ]);
  });

  it('editor-api refuses to fetch a photo to store, for want of sharp, naming what to do', async () => {
    const article = await readFile(join(repoRoot, 'tests/fixtures/articles/article.json'), 'utf8');

    const response = await invoke<ApiResponse>(
      'editor-api',
      await editorRequest('POST', '/editor/articles?fetchImages=1&dryRun=1', {
        text: article,
        contentType: 'application/json',
      }),
    );

    expect(response.statusCode).toBe(422);
    const { error } = JSON.parse(response.body);
    expect(error.code).toBe('article-images');
    expect(JSON.stringify(error.details)).toContain('processes no photos');
  });

  it('editor-api rotates the link keys: PutSecretValue writes the old key and a new one', async () => {
    const response = await invoke<ApiResponse>(
      'editor-api',
      await editorRequest('POST', '/editor/keys'),
    );

    expect(response.statusCode).toBe(201);
    const { kid, kept } = JSON.parse(response.body);
    expect(kept).toEqual(['0']);
    const stored = JSON.parse(secretsManager.secrets[linkKeysSecret] ?? '{}');
    expect(Object.keys(stored).sort()).toEqual(['0', kid].sort());
    // Kid "0" is still the token key: every link mailed before keeps working.
    expect(stored['0']).toBe(tokenKey);
  });

  it('editor-api answers a path under /editor it has no route for with 404 no-route', async () => {
    const response = await invoke<ApiResponse>(
      'editor-api',
      await editorRequest('GET', '/editor/no-such-route'),
    );

    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'no-route' } });
  });
});
