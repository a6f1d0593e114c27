/**
 * What an issue's status costs in DynamoDB, counted from the whole send ledger or read from the
 * ledger's counters (`SendLedger.counts`), and what keeping those counters costs each
 * recipient: `DynamoDbSendLedger` on the embedded DynamoDB (dynalite, which reports consumed
 * capacity as DynamoDB does), with every SDK command counted and its consumed capacity summed.
 * An issue of `BENCH_RECORDS` (default 10,000) recipients is prepared (`addMissing`, 1,000 a
 * call as the preparation reads subscribers) and sent (a claim and a settlement each, 32 in
 * flight); then its status is read both ways. The figures are projected to 1,000,000
 * recipients at DynamoDB on-demand prices. Prints a Markdown section for BENCHMARKS.md
 * ("Ledger counts"); `--record` also writes it there.
 *
 *   npx tsx bench/ledger-counts.bench.ts [--record]
 *   BENCH_RECORDS=2000 BENCH_RUNS=3 npx tsx bench/ledger-counts.bench.ts
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { tables } from '#adapters/tables.ts';
import { startLocalAws } from '#cli/local/start-local-aws.ts';
import { provisionLocal } from '#cli/provision-local.ts';
import type { SendCounts, SendRecord } from '#core/sending/ports.ts';
import { sendCounts } from '#core/sending/send-counts.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROJECTED = 1_000_000;
const PREPARE_PAGE = 1000;
const IN_FLIGHT = 32;
/** DynamoDB on demand, us-east-1 (as in bench/send.bench.ts): per write and read unit. */
const PRICES = { perWrite: 0.625 / 1e6, perRead: 0.125 / 1e6 };

/** What one phase cost: SDK commands and consumed capacity, for records and for counters. */
interface Tally {
  writes: { records: number; counters: number };
  writeUnits: { records: number; counters: number };
  queries: number;
  readUnits: number;
  /** Conditional writes refused (DynamoDB bills them a write unit; dynalite reports none). */
  refused: number;
}

const emptyTally = (): Tally => ({
  writes: { records: 0, counters: 0 },
  writeUnits: { records: 0, counters: 0 },
  queries: 0,
  readUnits: 0,
  refused: 0,
});
let tally = emptyTally();

/** A sort key, marshalled or not. */
const sortKeyOf = (key: Record<string, unknown> | undefined) => {
  const value = key?.subscriberId;
  return typeof value === 'string' ? value : String((value as { S?: string })?.S ?? '');
};

const stateDir = await mkdtemp(join(tmpdir(), 'ledger-counts-bench-'));
const aws = await startLocalAws({ stateDir, sendQuota: { max24HourSend: 1000, maxSendRate: 10 } });
await provisionLocal(aws.env);
const base = new DynamoDBClient({
  endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB,
  region: aws.env.AWS_REGION,
  credentials: {
    accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
  },
});
// Every command asks for its consumed capacity, and is counted with it.
base.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    input.ReturnConsumedCapacity = 'TOTAL';
    const kind = context.commandName ?? '';
    const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
    const side = sortKeyOf(key).startsWith('#') ? 'counters' : 'records';
    try {
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed]
        .flat()
        .reduce(
          (sum: number, one) => sum + ((one as { CapacityUnits?: number })?.CapacityUnits ?? 0),
          0,
        );
      if (kind === 'QueryCommand' || kind === 'BatchGetItemCommand') {
        tally.queries++;
        tally.readUnits += units;
      } else {
        tally.writes[side]++;
        tally.writeUnits[side] += units;
      }
      return result;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') tally.refused++;
      throw error;
    }
  },
  { step: 'initialize', name: 'benchMeter' },
);
const documents = DynamoDBDocumentClient.from(base, {
  marshallOptions: { removeUndefinedValues: true },
});
const ledger = new DynamoDbSendLedger(documents, tables.sends.localName);

/** Runs `work` and returns what it cost, and how long it took in ms. */
async function measure<T>(work: () => Promise<T>) {
  tally = emptyTally();
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started, tally };
}

/** Runs `task` on every item, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** The full count: every record of the issue read, as `countIssue` reads them, a page at a time. */
async function fullCount(issueId: string): Promise<SendCounts> {
  const counts = sendCounts();
  for await (const records of ledger.pages(issueId)) {
    for (const record of records as SendRecord[]) counts[record.status]++;
  }
  return counts;
}

const issueId = ulid();
const subscriberIds = Array.from({ length: RECORDS }, () => ulid());
const at = () => new Date().toISOString();

const prepared = await measure(async () => {
  for (let start = 0; start < RECORDS; start += PREPARE_PAGE) {
    const page = subscriberIds.slice(start, start + PREPARE_PAGE);
    await ledger.addMissing(
      issueId,
      page.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
      at(),
    );
  }
});
const sent = await measure(() =>
  pool(subscriberIds, IN_FLIGHT, async (subscriberId) => {
    const claim = ulid();
    await ledger.update(
      issueId,
      subscriberId,
      { status: ['queued'] },
      { status: 'claimed', claim },
      at(),
    );
    // SES's MessageId as SES writes it: 60 characters.
    const messageId = `0100019b${ulid().toLowerCase()}-000000`.padEnd(60, '0');
    await ledger.update(
      issueId,
      subscriberId,
      { status: ['claimed', 'unknown', 'sent'], claim },
      { status: 'sent', messageId },
      at(),
    );
  }),
);

const full: Awaited<ReturnType<typeof measure<SendCounts>>>[] = [];
const counted: Awaited<ReturnType<typeof measure<SendCounts>>>[] = [];
for (let run = 0; run < RUNS; run++) {
  full.push(await measure(() => fullCount(issueId)));
  counted.push(await measure(() => ledger.counts(issueId)));
}
base.destroy();
await aws.stop();
await rm(stateDir, { recursive: true, force: true });

const fromRecords = JSON.stringify(full[0]?.value);
const fromCounters = JSON.stringify(counted[0]?.value);
if (fromRecords !== fromCounters || full[0]?.value.sent !== RECORDS) {
  process.stderr.write(`The counts differ: records ${fromRecords}, counters ${fromCounters}\n`);
  process.exit(1);
}

// --- projected ------------------------------------------------------------------------

const scale = PROJECTED / RECORDS;
const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (value: number) =>
  value < 0.00001 ? 'under $0.00001' : `$${value < 0.01 ? value.toFixed(5) : fmt(value, 2)}`;
const perRecipient = (value: number) => fmt(value / RECORDS, 3);

const oneFull = full[0]?.tally ?? emptyTally();
const oneCounts = counted[0]?.tally ?? emptyTally();
const fullReadCost = oneFull.readUnits * scale * PRICES.perRead;
const countsReadCost = oneCounts.readUnits * PRICES.perRead;
const writes = (side: 'records' | 'counters') =>
  prepared.tally.writes[side] + sent.tally.writes[side];
const writeUnits = (side: 'records' | 'counters') =>
  prepared.tally.writeUnits[side] + sent.tally.writeUnits[side];
const counterWriteCost = writeUnits('counters') * scale * PRICES.perWrite;
const recordWriteCost = writeUnits('records') * scale * PRICES.perWrite;
const breakEven = counterWriteCost / (fullReadCost - countsReadCost);
/** The ledger's size at the projected list, in MB, from the read units (4 KB each) of a count. */
const projectedMb = (oneFull.readUnits * scale * 4) / 1024;
// A Query returns at most 1 MB: the pages of a full count at the projected size.
const projectedQueries = Math.ceil(projectedMb);

const section = `Measured ${machine()} by \`bench/ledger-counts.bench.ts\`: \`DynamoDbSendLedger\` on the
embedded DynamoDB (dynalite, which reports consumed capacity as DynamoDB bills it), an issue of
${fmt(RECORDS)} recipients prepared (\`addMissing\`, ${fmt(PREPARE_PAGE)} a call) and sent (a claim and a
settlement each), then its status read ${RUNS} times each way; projected linearly to
${fmt(PROJECTED)} recipients at DynamoDB on-demand prices ($0.625 per million write units, $0.125
per million read units).

One status read:

| status read | recipients | Query requests | read units | median ms (local) | projected: Query requests | projected: read units | projected $ per read |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| full count of the ledger (\`pages\`) | ${fmt(RECORDS)} | ${fmt(oneFull.queries)} | ${fmt(oneFull.readUnits)} | ${fmt(median(full.map((one) => one.ms)), 1)} | ${fmt(projectedQueries)} | ${fmt(oneFull.readUnits * scale)} | ${usd(fullReadCost)} |
| counters (\`counts\`) | ${fmt(RECORDS)} | ${fmt(oneCounts.queries)} | ${fmt(oneCounts.readUnits)} | ${fmt(median(counted.map((one) => one.ms)), 1)} | ${fmt(oneCounts.queries)} | ${fmt(oneCounts.readUnits)} | ${usd(countsReadCost)} |

Ledger writes through a send (\`addMissing\`, claim, settlement), per recipient and projected:

| writes | requests per recipient | write units per recipient | projected: write units | projected $ per issue |
| --- | ---: | ---: | ---: | ---: |
| records (as without counters) | ${perRecipient(writes('records'))} | ${perRecipient(writeUnits('records'))} | ${fmt(writeUnits('records') * scale)} | ${usd(recordWriteCost)} |
| counters | ${perRecipient(writes('counters'))} | ${perRecipient(writeUnits('counters'))} | ${fmt(writeUnits('counters') * scale)} | ${usd(counterWriteCost)} |
| with counters, in all | ${perRecipient(writes('records') + writes('counters'))} | ${perRecipient(writeUnits('records') + writeUnits('counters'))} | ${fmt((writeUnits('records') + writeUnits('counters')) * scale)} | ${usd(recordWriteCost + counterWriteCost)} |

A full count reads every record (about ${fmt((oneFull.readUnits * 4) / RECORDS, 2)} KB a recipient once sent, billed by the
4 KB of data read, strongly consistent), so its cost and time grow with the list; \`counts\` reads
the issue's 10 counter items, one read unit whatever the list. The counters add a write to every
change of a record's status (the claim and the settlement) and one per shard touched to each
\`addMissing\` of ${fmt(PREPARE_PAGE)}: at ${fmt(PROJECTED)} recipients they cost ${usd(counterWriteCost)} per issue, the price of
${fmt(breakEven)} full counts. \`newsletter send\` counts every 1–10 s while it follows an issue (every
10 s once a count takes a second: about ${fmt(PROJECTED / 100 / 10)} counts for ${fmt(PROJECTED)} recipients at 100/s), and each
full count then reads ${fmt(projectedMb)} MB in ${fmt(projectedQueries)}
sequential Query requests. Refused conditional writes: ${prepared.tally.refused + sent.tally.refused}.
`;

process.stdout.write(`## Ledger counts\n\n${section}\n`);
if (process.argv.includes('--record')) recordSection('Ledger counts', section);
