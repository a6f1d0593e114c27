/**
 * Sending an issue, end to end on the local services: `newsletter send` to a small list
 * (300 subscribers at 50/s, where an uneven last round of pages shows most) and to 10,000
 * subscribers at 100/s (the real CLI, its local SQS, pollers, handlers and SES), with the
 * achieved rate and the worst one-second window read from the outbox's `acceptedAt`; then
 * 2,000 subscribers through every injected fault. Then the projection for 1 and 10
 * million subscribers at SES rates of 14, 100 and 1,000 per second, computed from the
 * design's request counts and AWS prices (see `PRICES`). Prints a Markdown section for
 * BENCHMARKS.md ("Sending"); `--record` also writes it there.
 *
 *   npx tsx bench/send.bench.ts [--record]
 *   BENCH_SUBSCRIBERS=300 BENCH_RATE=50 BENCH_FAULTS=0 npx tsx bench/send.bench.ts
 *
 * `BENCH_SUBSCRIBERS` and `BENCH_RATE` measure that one case instead of both.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outboxStats } from '#cli/local/outbox-stats.ts';
import { pageSize, pageSizes } from '#core/sending/send-pacing.ts';
import { machine, recordSection } from './record-section.ts';

/** The measured sends: a small list, and a large one. */
const CASES: { subscribers: number; rate: number }[] =
  process.env.BENCH_SUBSCRIBERS || process.env.BENCH_RATE
    ? [
        {
          subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 10_000),
          rate: Number(process.env.BENCH_RATE ?? 100),
        },
      ]
    : [
        { subscribers: 300, rate: 50 },
        { subscribers: 10_000, rate: 100 },
      ];
const withFaults = process.env.BENCH_FAULTS !== '0';
const FAULT_SUBSCRIBERS = 2000;
const FAULTS = 'throttle=0.2,error=0.05,reset=0.01,lost=0.01';
const repo = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = { achieved: 0.95, worst: 1.05 };

function cli(home: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; seconds: number }>((resolve) => {
    const started = performance.now();
    execFile(
      process.execPath,
      [join(repo, 'cli/bin.js'), ...args],
      { cwd: repo, env: { ...process.env, ...env, NEWSLETTER_HOME: home }, maxBuffer: 1 << 26 },
      (error, stdout) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          seconds: (performance.now() - started) / 1000,
        }),
    );
  });
}

/** A state folder with the sample articles and `count` subscribers. */
async function stateWith(count: number): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'newsletter-bench-send-'));
  const csv = join(home, 'subscribers.csv');
  const rows = Array.from(
    { length: count },
    (_, i) => `reader${i + 1}@example.com,Reader ${i + 1}`,
  );
  await writeFile(csv, ['email,name', ...rows].join('\n'));
  // Article files only: the folder also holds the photos they refer to.
  const samples = (await readdir(join(repo, 'samples/articles')))
    .filter((name) => /\.(txt|json)$/.test(name))
    .map((name) => join(repo, 'samples/articles', name));
  for (const args of [
    ['import', ...samples],
    ['subscribers', 'import', csv],
  ]) {
    const result = await cli(home, args);
    if (result.code !== 0) throw new Error(`newsletter ${args[0]} failed`);
  }
  return home;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// --- measured -------------------------------------------------------------------------

const measured: { row: string; met: { achieved: boolean; worst: boolean } }[] = [];
for (const { subscribers, rate } of CASES) {
  const home = await stateWith(subscribers);
  const run = await cli(home, ['send', '--rate', String(rate), '--json']);
  if (run.code !== 0) throw new Error('newsletter send failed');
  const status = JSON.parse(run.stdout);
  const paced = await outboxStats(join(home, 'outbox'));
  await rm(home, { recursive: true, force: true });
  const achieved = paced.achievedRate / rate;
  const worst = paced.worstSecond / rate;
  measured.push({
    row:
      `| ${fmt(subscribers)} | ${fmt(rate)} | ${fmt(status.sent)} | ${fmt(run.seconds, 1)} | ` +
      `${fmt(paced.achievedRate, 1)} | ${fmt(achieved * 100, 1)} % | ${paced.worstSecond} | ` +
      `${fmt(worst * 100, 1)} % |`,
    met: { achieved: achieved >= TARGETS.achieved, worst: worst <= TARGETS.worst },
  });
}
const met = (target: 'achieved' | 'worst') =>
  measured.every((one) => one.met[target]) ? 'met' : 'not met';

let faultRow = '';
if (withFaults) {
  const base = await stateWith(FAULT_SUBSCRIBERS);
  const faulty = await mkdtemp(join(tmpdir(), 'newsletter-bench-faults-'));
  await cp(base, faulty, { recursive: true });
  const result = await cli(faulty, ['send', '--rate', '500', '--json'], {
    NEWSLETTER_LOCAL_SES_FAULTS: FAULTS,
    NEWSLETTER_LOCAL_SQS_DUPLICATES: '0.2',
  });
  const stats = await outboxStats(join(faulty, 'outbox'));
  const twice = [...stats.perRecipient.values()].filter((count) => count > 1).length;
  const done = JSON.parse(result.stdout);
  faultRow =
    `With \`NEWSLETTER_LOCAL_SES_FAULTS=${FAULTS}\` and \`NEWSLETTER_LOCAL_SQS_DUPLICATES=0.2\`, ` +
    `${fmt(FAULT_SUBSCRIBERS)} subscribers at up to 500/s: done in ${fmt(result.seconds, 1)} s ` +
    `(the unknown window is 10 s locally), ${fmt(stats.perRecipient.size)} recipients with ` +
    `${fmt(stats.messages)} messages, ${twice} sent twice; status: ${done.sent} sent, ` +
    `${done.unknown} unknown, ${done.queued} queued.`;
  await rm(base, { recursive: true, force: true });
  await rm(faulty, { recursive: true, force: true });
}

// --- projected ------------------------------------------------------------------------

/**
 * AWS list prices in us-east-1, on demand (Lambda on arm64, SQS standard, DynamoDB on-demand
 * after its November 2024 reduction); free tiers left out. The projection multiplies them by
 * the requests the design makes per issue.
 */
const PRICES = {
  sesPerMessage: 0.1 / 1000,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  sqsPerRequest: 0.4 / 1e6,
  snsPerPublish: 0.5 / 1e6,
  dynamoPerWrite: 0.625 / 1e6,
  dynamoPerRead: 0.125 / 1e6,
};

/** What the design does per recipient and per call (see the notes under the table). */
const MODEL = {
  /** The largest share of the rate one send-batch container is given, messages/s. */
  perContainer: 100,
  memoryGb: 0.5,
  pageSize: 100,
  /** SES events per message: Send and Delivery (bounces and complaints are rare). */
  eventsPerMessage: 2,
  eventsBatch: 10,
  /** ses-events: milliseconds per invocation of 10 events. */
  eventsInvocationMs: 60,
  /** Ledger records prepared per second by one invocation (16 conditional puts in flight). */
  preparePerSecond: 3000,
  /**
   * The issue builder (1,769 MB) prepares for 80 % of its 15 minutes, then send-batch
   * (`memoryGb`) carries on from `PrepareStep` messages.
   */
  builderMemoryGb: 1.769,
  builderPrepareSeconds: 720,
  writesPerRecipient: 3,
  readsPerRecipient: 4.5,
};

function project(recipients: number, sesRate: number) {
  const concurrency = Math.max(2, Math.ceil(sesRate / MODEL.perContainer));
  const page = pageSize(MODEL.pageSize, sesRate, concurrency);
  const seconds = recipients / sesRate;
  // As the preparation cuts them: each read of 1,000 into whole rounds of equal pages.
  const plan = { configured: MODEL.pageSize, issueRate: sesRate, maxConcurrency: concurrency };
  const pages =
    Math.floor(recipients / 1000) * pageSizes(1000, plan).length +
    pageSizes(recipients % 1000, plan).length;
  const prepareSeconds = recipients / MODEL.preparePerSecond;
  const events = recipients * MODEL.eventsPerMessage;
  const eventInvocations = Math.ceil(events / MODEL.eventsBatch);
  // Send queue: SendMessageBatch (10 pages a call), one receive and one delete per page.
  const sqsRequests = pages / 10 + 2 * pages + 2 * eventInvocations;
  const lambdaGbSeconds =
    concurrency * seconds * MODEL.memoryGb +
    Math.min(prepareSeconds, MODEL.builderPrepareSeconds) * MODEL.builderMemoryGb +
    Math.max(0, prepareSeconds - MODEL.builderPrepareSeconds) * MODEL.memoryGb +
    (eventInvocations * MODEL.eventsInvocationMs * MODEL.memoryGb) / 1000;
  const invocations =
    pages + eventInvocations + Math.ceil(prepareSeconds / MODEL.builderPrepareSeconds);
  const cost = {
    ses: recipients * PRICES.sesPerMessage,
    lambda: lambdaGbSeconds * PRICES.lambdaPerGbSecond + invocations * PRICES.lambdaPerRequest,
    sqs: sqsRequests * PRICES.sqsPerRequest,
    sns: events * PRICES.snsPerPublish,
    dynamoDb:
      recipients * MODEL.writesPerRecipient * PRICES.dynamoPerWrite +
      recipients * MODEL.readsPerRecipient * PRICES.dynamoPerRead,
  };
  const total = Object.values(cost).reduce((sum, value) => sum + value, 0);
  return { concurrency, page, seconds, pages, events, invocations, sqsRequests, cost, total };
}

function duration(seconds: number): string {
  if (seconds < 3600) return `${fmt(seconds / 60, 0)} min`;
  if (seconds < 48 * 3600) return `${fmt(seconds / 3600, 1)} h`;
  return `${fmt(seconds / 86400, 1)} days`;
}

let sesShareLow = 1;
let sesShareHigh = 0;
let restLow = Number.POSITIVE_INFINITY;
let restHigh = 0;
const projection: string[] = [
  '| subscribers | SES rate /s | duration | send-batch concurrency × page | SQS messages (pages + events) | Lambda invocations | SES $ | Lambda $ | SQS + SNS $ | DynamoDB $ | total $ per issue |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const recipients of [1_000_000, 10_000_000]) {
  for (const sesRate of [14, 100, 1000]) {
    const p = project(recipients, sesRate);
    const rest = ((p.total - p.cost.ses) / recipients) * 1e6;
    sesShareLow = Math.min(sesShareLow, p.cost.ses / p.total);
    sesShareHigh = Math.max(sesShareHigh, p.cost.ses / p.total);
    restLow = Math.min(restLow, rest);
    restHigh = Math.max(restHigh, rest);
    projection.push(
      `| ${fmt(recipients)} | ${fmt(sesRate)} | ${duration(p.seconds)} | ${p.concurrency} × ${p.page} | ` +
        `${fmt(p.pages)} + ${fmt(p.events)} | ${fmt(p.invocations)} | ${fmt(p.cost.ses, 0)} | ` +
        `${fmt(p.cost.lambda, 2)} | ${fmt(p.cost.sqs + p.cost.sns, 2)} | ${fmt(p.cost.dynamoDb, 2)} | ` +
        `${fmt(p.total, 0)} |`,
    );
  }
}

const section = `Measured ${machine()} by \`bench/send.bench.ts\`: the real \`newsletter send\` on the
local services (its SQS, the pollers invoking the send-batch and ses-events handlers, the local
SES writing the outbox), all in one Node.js process on this shared machine.

| subscribers | cap /s | sent | time to done s | achieved /s | achieved / cap | worst 1-s window | worst / cap |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${measured.map((one) => one.row).join('\n')}

Achieved rate is (messages − 1) / (last − first \`acceptedAt\`); the worst window is the most
messages accepted in any one second. Targets, for every list: achieved ≥ 95 % of the cap: ${met('achieved')}; no second above the cap by more than 5 %: ${met('worst')}.
${faultRow ? `\n${faultRow}\n` : ''}
### Projection: 1 and 10 million subscribers

${projection.join('\n')}

How the figures are made (\`project()\` in \`bench/send.bench.ts\`), at us-east-1 list prices
without free tiers: SES $0.10 per 1,000 messages, Lambda (arm64) $0.0000133334 per GB-s and
$0.20 per million requests, SQS $0.40 per million requests, SNS $0.50 per million
publishes, DynamoDB on demand $0.625 per million writes and $0.125 per million reads:

- **Duration** is subscribers ÷ rate: sending starts with the first page of the ledger, so
  preparing it (about ${fmt(MODEL.preparePerSecond)} records/s per invocation, continued by
  \`PrepareStep\` messages past the 15-minute limit) overlaps the send. A send must end within the
  send queue's retention (SQS allows 14 days): 10 million at 14/s takes 8.3 days, and an account
  at 14/s has a 24-hour quota far below 1 million anyway — that row shows why the quota must be
  raised before such a list is mailed.
- **Concurrency**: each send-batch container gets rate ÷ concurrency (its token bucket), at most
  ${MODEL.perContainer}/s, so concurrency = max(2, rate ÷ ${MODEL.perContainer}); 32 messages in
  flight per container keep that rate up to 320 ms per message (claim, SES call, completion).
  Pages hold ${MODEL.pageSize} subscribers at most, or what one container sends in 10 s when that
  is fewer; each read of 1,000 subscribers is cut into whole rounds of equal pages, one per
  container, so that the containers end together.
- **SQS messages**: one per page, plus one per SES event (${MODEL.eventsPerMessage} per message:
  Send and Delivery; SNS delivers to SQS for free). SQS requests add a receive and a delete per
  page and per batch of ${MODEL.eventsBatch} events, and a SendMessageBatch per 10 pages.
- **Lambda**: send-batch containers are billed for the whole send (${MODEL.memoryGb * 1000} MB,
  mostly waiting on the token bucket), ses-events ${MODEL.eventsInvocationMs} ms per batch of
  ${MODEL.eventsBatch}, preparation in the issue builder (${fmt(MODEL.builderMemoryGb * 1000)} MB) for its
  first ${MODEL.builderPrepareSeconds} s, then in send-batch; invocations are pages + event
  batches + preparation runs.
- **DynamoDB** (on demand): per recipient ${MODEL.writesPerRecipient} writes (the ledger record,
  its claim, its outcome) and about ${MODEL.readsPerRecipient} reads (the ledger and the
  subscriber per page, the Send event's check, the Delivery event's subscriber lookup).
- **SES** is $0.10 per 1,000 messages; the digest has no attachments, so no per-GB charge. It is
  ${fmt(sesShareLow * 100, 1)}–${fmt(sesShareHigh * 100, 1)} % of the cost per issue; everything this
  project runs adds $${fmt(restLow, 1)}–${fmt(restHigh, 1)} per million subscribers.
`;

process.stdout.write(`## Sending\n\n${section}\n`);
if (process.argv.includes('--record')) recordSection('Sending', section);
