import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type SendQuota, type SesCaptureProxy, startSesCaptureProxy } from './ses-capture-proxy.ts';
import {
  acquireStateLock,
  holdsStateLock,
  type StateLock,
  StateLockedError,
} from './state-lock.ts';

/** What {@link startLocalAws} needs. */
export interface LocalAwsOptions {
  /** The state folder: DynamoDB data in `dynamodb/`, S3 objects in `s3/`, SES in `outbox/`. */
  stateDir: string;
  /** What the local SES answers to `GetSendQuota`. */
  sendQuota: SendQuota;
}

/** The local AWS services of one state folder, running in this process. */
export interface LocalAws {
  /**
   * The standard AWS variables that point the SDK at the local services (endpoints, the
   * S3RVER key pair, region, checksum settings). Nothing else is needed to reach them.
   */
  env: Record<string, string>;
  /** Where the local SES writes each accepted message (`.eml`) and its record (`.json`). */
  outboxDir: string;
  /** The local SES, to say where its events go (`publishEventsTo`). */
  ses: SesCaptureProxy;
  /** Stops every service and closes their connections and files. */
  stop(): Promise<void>;
}

/** s3rver accepts only this key pair; the other services accept any. */
const ACCESS_KEY = 'S3RVER';
const LOOPBACK = '127.0.0.1';

interface RunningService {
  url: string;
  stop(): Promise<void>;
  proxy?: SesCaptureProxy;
}

/** State folders whose services run in this process. */
const running = new Set<string>();

/**
 * Starts the local AWS on free loopback ports: DynamoDB (dynalite) and S3 (s3rver) kept in
 * the state folder, SQS and SNS (fauxqs) in memory, and the local SES that writes the
 * outbox.
 *
 * LevelDB admits one opener per database, so the services of a state folder run once at a
 * time: unless this process already holds the folder's lock (`acquireStateLock`, taken
 * before this call), it is taken here and given up by `stop()`.
 *
 * @throws StateLockedError when another process holds the state folder, or when this
 * process already runs its services.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const stateDir = path.resolve(options.stateDir);
  if (running.has(stateDir)) throw new StateLockedError(stateDir, process.pid);
  running.add(stateDir);
  let lock: StateLock | undefined;
  try {
    if (!(await holdsStateLock(stateDir))) lock = await acquireStateLock(stateDir);
    const services = await startServices(stateDir, options.sendQuota);
    let stopping: Promise<void> | undefined;
    return {
      ...services,
      stop: () => {
        stopping ??= services.stop().finally(() => giveUp(stateDir, lock));
        return stopping;
      },
    };
  } catch (error) {
    await giveUp(stateDir, lock);
    throw error;
  }
}

async function giveUp(stateDir: string, lock: StateLock | undefined): Promise<void> {
  running.delete(stateDir);
  await lock?.release();
}

async function startServices(stateDir: string, sendQuota: SendQuota): Promise<LocalAws> {
  const outboxDir = path.join(stateDir, 'outbox');
  const starting = await Promise.allSettled([
    startDynamoDb(path.join(stateDir, 'dynamodb')),
    startS3(path.join(stateDir, 's3')),
    startQueues(),
    startSes(outboxDir, sendQuota),
  ]);
  const services = starting.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = starting.find((result) => result.status === 'rejected');
  if (failure) {
    await stopAll(services).catch(() => {});
    throw failure.reason;
  }
  const [dynamoDb, s3, queues, ses] = services as [
    RunningService,
    RunningService,
    RunningService,
    RunningService,
  ];
  return {
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.url,
      AWS_ENDPOINT_URL_SES: ses.url,
      AWS_ENDPOINT_URL_SQS: queues.url,
      AWS_ENDPOINT_URL_SNS: queues.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: ACCESS_KEY,
      AWS_REGION: 'us-east-1',
      // The emulators do not know the flexible checksums that newer SDKs add by default.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    },
    outboxDir,
    ses: ses.proxy as SesCaptureProxy,
    stop: () => stopAll(services),
  };
}

async function startDynamoDb(dataDir: string): Promise<RunningService> {
  // Loaded on first start, so that commands which use a running `serve` never load it.
  const { default: dynalite } = await import('dynalite');
  await mkdir(dataDir, { recursive: true });
  // No table waits in CREATING/DELETING locally: commands create their tables on start.
  const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await listen(server);
  return { url: urlOf(server), stop: () => closeServer(server) };
}

async function startS3(dataDir: string): Promise<RunningService> {
  const { default: S3rver } = await import('s3rver');
  await mkdir(dataDir, { recursive: true });
  const s3rver = new S3rver({
    address: LOOPBACK,
    port: 0,
    silent: true,
    directory: dataDir,
    // Path-style requests only: a host name never names a bucket here.
    vhostBuckets: false,
  });
  const { port } = await s3rver.run();
  const server = s3rver.httpServer;
  return {
    url: `http://${LOOPBACK}:${port}`,
    stop: () => (server ? closeServer(server) : s3rver.close()),
  };
}

async function startQueues(): Promise<RunningService> {
  const { buildApp } = await import('fauxqs');
  // buildApp rather than startFauxqs: that one listens on every interface and reads its
  // settings from FAUXQS_* variables.
  const app = buildApp({ logger: false, stores: await fauxqsStores() });
  await app.listen({ port: 0, host: LOOPBACK });
  return { url: urlOf(app.server), stop: () => app.close() };
}

/**
 * fauxqs's stores, with queue URLs on the endpoint itself (`http://127.0.0.1:<port>/…`).
 * By default fauxqs names queues `http://sqs.<region>.localhost:<port>/…`, a host that
 * does not resolve everywhere, and an SQS client whose endpoint comes from
 * AWS_ENDPOINT_URL_SQS sends each call to the host of its QueueUrl. Without a host of its
 * own the store takes the host that the request was sent to. Only a store made here can
 * be told so, and fauxqs (pinned at 1.9.2) does not export its stores: hence the import by
 * file.
 */
async function fauxqsStores() {
  const entry = import.meta.resolve('fauxqs');
  const load = (file: string) => import(new URL(file, entry).href);
  const [{ SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    load('./sqs/sqsStore.js'),
    load('./sns/snsStore.js'),
    load('./s3/s3Store.js'),
  ]);
  const sqsStore = new SqsStore();
  sqsStore.host = '';
  return { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() };
}

async function startSes(outboxDir: string, sendQuota: SendQuota): Promise<RunningService> {
  const proxy = await startSesCaptureProxy({ outboxDir, sendQuota });
  return { url: proxy.url, stop: () => proxy.close(), proxy };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address}:${port}`;
}

/** Closes `server`, including connections that SDK clients keep alive. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

async function stopAll(services: RunningService[]): Promise<void> {
  const results = await Promise.allSettled(services.map((service) => service.stop()));
  const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  if (errors.length > 0) throw new AggregateError(errors, 'Some local AWS services did not stop');
}
