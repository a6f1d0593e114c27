/**
 * Whether `POST /subscribe` tells, by the time it takes, if an address is on the list: the
 * public routes (`subscriptionRoutes`) served over HTTP by `@hono/node-server`, as
 * `newsletter serve` serves them, on the embedded DynamoDB. `BENCH_SIGNUPS` (default 300)
 * sign-ups of new addresses and as many of addresses already subscribed, in one random order
 * (seeded) after `BENCH_WARMUP` (default 20) of each, each timed from the request to the end
 * of the answer; every DynamoDB call each one makes is counted. Reports both distributions
 * (median, 10th and 90th percentiles), the ratio of their medians, and the calls per sign-up,
 * which must be the same for both (else it exits 1). Prints a Markdown section for
 * BENCHMARKS.md ("Sign-up answer time"); `--record` also writes it there.
 *
 *   npx tsx bench/signup-answer.bench.ts [--record]
 *   BENCH_SIGNUPS=100 npx tsx bench/signup-answer.bench.ts
 */

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serve } from '@hono/node-server';
import { ulid } from 'ulid';
import { DynamoDbRateCounters } from '#adapters/dynamodb-rate-counters.ts';
import { DynamoDbSignupQueue } from '#adapters/dynamodb-signup-queue.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { tables } from '#adapters/tables.ts';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import { startLocalAws } from '#cli/local/start-local-aws.ts';
import { provisionLocal } from '#cli/provision-local.ts';
import type { PageTemplates } from '#core/rendering/render-page.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const SIGNUPS = Number(process.env.BENCH_SIGNUPS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);

type Kind = 'new' | 'subscribed';

const stateDir = await mkdtemp(join(tmpdir(), 'signup-answer-bench-'));
const aws = await startLocalAws({ stateDir, sendQuota: { max24HourSend: 1000, maxSendRate: 10 } });
await provisionLocal(aws.env);
const client = new DynamoDBClient({
  endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB,
  region: aws.env.AWS_REGION,
  credentials: {
    accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
  },
});
// Every DynamoDB command the app sends is noted, by name, for the sign-up under way.
let calls: string[] = [];
client.middlewareStack.add(
  (next, context) => async (args) => {
    calls.push((context.commandName ?? '').replace(/Command$/, ''));
    return next(args);
  },
  { step: 'initialize', name: 'benchCalls' },
);
const documents = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});
const subscribers = new DynamoDbSubscriberStore(documents, tables.subscribers.localName);

// The addresses already on the list: one per timed sign-up, so that none is asked twice.
const total = SIGNUPS + WARMUP;
const subscribed = Array.from({ length: total }, (_, n) => `subscribed${n}@example.org`);
for (const email of subscribed) {
  await subscribers.add({
    id: ulid(),
    email,
    status: 'active',
    source: 'cli',
    createdAt: new Date().toISOString(),
  });
}
const fresh = Array.from({ length: total }, (_, n) => `new${n}@example.org`);

let pages: Promise<PageTemplates> | undefined;
const app = subscriptionRoutes({
  config: {
    listName: 'The Weekly Slide',
    listId: 'weekly.example.com',
    fromEmail: 'digest@example.com',
    postalAddress: '1 Example Street, London',
    publicBaseUrl: 'https://news.example.com',
    language: 'en',
    confirmLinkHours: 48,
    pendingDays: 30,
    // Every sign-up here comes from this machine: none may be refused.
    subscribeIpPerHour: 100_000,
  },
  subscribers,
  suppressions: new DynamoDbSuppressionStore(documents, tables.suppressions.localName),
  signups: new DynamoDbSignupQueue(documents, tables.signups.localName),
  counters: new DynamoDbRateCounters(documents, tables.counters.localName),
  pageTemplates: () => (pages ??= loadPageTemplates()),
  hashKey: async () => new Uint8Array(32).fill(1),
  // No link is checked here (sign-ups only): a store that must not be read.
  linkKeys: {
    current: () => Promise.reject(new Error('no link key is read by a sign-up')),
    reload: () => Promise.reject(new Error('no link key is read by a sign-up')),
  },
  newId: ulid,
  now: () => new Date(),
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** One sign-up as the form posts it: how long its answer took (ms), and its DynamoDB calls. */
async function signUp(email: string): Promise<{ ms: number; calls: string }> {
  calls = [];
  const started = performance.now();
  const response = await fetch(`${base}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email }).toString(),
  });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 202) throw new Error(`a sign-up was answered ${response.status}`);
  return { ms, calls: calls.join(', ') };
}

/** A fixed order of `count` of each kind, shuffled by a seeded generator (mulberry32). */
function shuffled(count: number, seed: number): Kind[] {
  const order: Kind[] = [...Array(count).fill('new'), ...Array(count).fill('subscribed')];
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as Kind, order[i] as Kind];
  }
  return order;
}

const next = { new: 0, subscribed: 0 };
const take = (kind: Kind) => (kind === 'new' ? fresh : subscribed)[next[kind]++] as string;
for (const kind of shuffled(WARMUP, 7)) await signUp(take(kind));
const timed: Record<Kind, { ms: number; calls: string }[]> = { new: [], subscribed: [] };
for (const kind of shuffled(SIGNUPS, 42)) timed[kind].push(await signUp(take(kind)));

await new Promise((resolve) => server.close(resolve));
client.destroy();
await aws.stop();
await rm(stateDir, { recursive: true, force: true });

// --- report ------------------------------------------------------------------------------

/** The value below which `share` of the values lie (nearest rank). */
function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}
const fmt = (value: number, digits = 2) => value.toFixed(digits);
const callsOf = (kind: Kind) => [...new Set(timed[kind].map((one) => one.calls))];
const row = (kind: Kind, label: string) => {
  const ms = timed[kind].map((one) => one.ms);
  return `| ${label} | ${ms.length} | ${fmt(median(ms))} | ${fmt(percentile(ms, 0.1))} | ${fmt(percentile(ms, 0.9))} | ${callsOf(kind).join('; ')} |`;
};
const ratio =
  median(timed.new.map((one) => one.ms)) / median(timed.subscribed.map((one) => one.ms));
const same = JSON.stringify(callsOf('new')) === JSON.stringify(callsOf('subscribed'));

const section = `Measured ${machine()} by \`bench/signup-answer.bench.ts\`: \`POST /subscribe\` (a form)
over HTTP on this machine, the public routes served by \`@hono/node-server\` as \`newsletter serve\`
serves them, on the embedded DynamoDB; ${SIGNUPS} sign-ups of new addresses and ${SIGNUPS} of addresses already
subscribed, in one random order, after ${WARMUP} of each. Each is timed from the request to the end of
its answer (202, the same page), and its DynamoDB calls are counted.

| address | sign-ups | median ms | 10th percentile ms | 90th percentile ms | DynamoDB calls per sign-up |
| --- | ---: | ---: | ---: | ---: | --- |
${row('new', 'new')}
${row('subscribed', 'already subscribed')}

Ratio of the medians, new ÷ already subscribed: **${fmt(ratio)}**. A sign-up reads nothing about its
address: it counts its network (one conditional \`UpdateItem\`) and queues the request (one
\`PutItem\`), whatever the address, and the confirmations job (\`sendDueConfirmations\`, the minute
tick) does the rest later. Before this, only a new address was stored and mailed before the
answer: about 32 ms against 7 ms for an address already on the list.
`;

process.stdout.write(`## Sign-up answer time\n\n${section}\n`);
if (!same) {
  process.stderr.write('The sign-ups of new and subscribed addresses made different calls.\n');
  process.exit(1);
}
if (process.argv.includes('--record')) recordSection('Sign-up answer time', section);
