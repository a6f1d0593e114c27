import { randomInt } from 'node:crypto';
import { cp } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAULTS_SEED_ENV } from '#cli/local/fault-draw.ts';
import {
  ARTICLES,
  cliOn,
  draft,
  inFlightOf,
  oncePer,
  outboxRecords,
  perAddress,
  readers,
  seed,
  show,
  sleep,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import { freshHome } from './support/run-cli.ts';

// Pause, resume and cancel of an issue whose sending process was killed (SIGKILL) mid-send,
// through every fault the local SES can inject and duplicated SQS deliveries: nobody gets a
// message twice, and everybody gets one unless the issue was cancelled.

const SUBSCRIBERS = 200;
/** Slow enough that the issue is still sending when the next command acts on it. */
const RATE = '10';
/** Which calls fail: from the environment to replay a failed run, else a new one each run. */
const SEED = process.env[FAULTS_SEED_ENV] || String(randomInt(2 ** 31));
const FAULTS = {
  NEWSLETTER_LOCAL_SES_FAULTS: 'throttle=0.2,error=0.05,reset=0.01,lost=0.01',
  NEWSLETTER_LOCAL_SQS_DUPLICATES: '0.2',
  [FAULTS_SEED_ENV]: SEED,
};

afterEach(stopBackground);

/** A state folder with the sample articles, the subscribers and a draft, to copy from. */
let base: { home: string; issueId: string };

async function copyOfBase(): Promise<string> {
  const copy = await freshHome();
  await cp(base.home, copy, { recursive: true });
  return copy;
}

/** Starts `issues send` of the draft and kills it (SIGKILL) once `count` messages are out. */
async function sendAndKill(home: string, count: number): Promise<void> {
  const sending = startCli(home, ['issues', 'send', base.issueId, '--rate', RATE], FAULTS);
  await whenOutboxHolds(home, base.issueId, count, { timeoutMs: 60_000, gaveUp: sending.ended });
  sending.child.kill('SIGKILL');
  const killed = await sending.ended;
  expect(killed.signal).toBe('SIGKILL');
}

describe('stopping an issue under faults, after its sending process was killed', () => {
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      console.error(`Replay these faults with ${FAULTS_SEED_ENV}=${SEED}`);
    });
  });
  beforeAll(async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, SUBSCRIBERS);
    const { issueId } = await draft(cli, [ARTICLES.museum]);
    base = { home, issueId };
  }, 60_000);

  it('carried on by `send`, paused and resumed, it mails every subscriber exactly once', async () => {
    const home = await copyOfBase();
    const cli = cliOn(home, FAULTS);
    await sendAndKill(home, 30);
    const afterKill = (await outboxRecords(home, base.issueId)).length;

    const carrying = startCli(home, ['send', '--rate', RATE], FAULTS);
    await whenOutboxHolds(home, base.issueId, afterKill + 20, {
      timeoutMs: 60_000,
      gaveUp: carrying.ended,
    });
    const paused = await cli(['issues', 'pause', base.issueId]);
    const carried = await carrying.ended;
    const atPause = (await outboxRecords(home, base.issueId)).length;
    const resumed = await cli(['issues', 'resume', base.issueId, '--rate', '100', '--json']);

    expect(carried.stdout).toContain(`Resuming issue ${base.issueId}`);
    expect(paused.code, paused.stderr).toBe(0);
    expect(carried.code, carried.stdout + carried.stderr).toBe(0);
    expect(carried.stdout).toContain(`Issue ${base.issueId} was paused by cli:`);
    expect(atPause).toBeLessThan(SUBSCRIBERS);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      state: 'sent',
      recipients: SUBSCRIBERS,
      sent: SUBSCRIBERS,
      queued: 0,
      unknown: 0,
      failed: 0,
    });
    expect(await perAddress(home, base.issueId)).toEqual(oncePer(readers(SUBSCRIBERS)));
  }, 180_000);

  it('cancelled, it mails nobody more and nobody twice, and counts every recipient', async () => {
    const home = await copyOfBase();
    const cli = cliOn(home, FAULTS);
    await sendAndKill(home, 30);

    const cancelled = await cli(['issues', 'cancel', base.issueId]);
    const atReturn = (await outboxRecords(home, base.issueId)).length;
    // Counting starts the services again, with their senders: still nobody is mailed.
    const shown = await show(cli, base.issueId);
    await sleep(2_000);
    const settled = (await outboxRecords(home, base.issueId)).length;

    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(settled - atReturn).toBeLessThanOrEqual(inFlightOf(cancelled));
    expect(settled).toBeLessThan(SUBSCRIBERS);
    expect(Math.max(...Object.values(await perAddress(home, base.issueId)))).toBe(1);
    expect(shown).toMatchObject({ state: 'cancelled', recipients: SUBSCRIBERS });
    expect(shown.cancelled).toBeGreaterThan(0);
    expect(shown.recipients).toBe(
      shown.queued + shown.sent + shown.failed + shown.unknown + shown.cancelled,
    );
  }, 180_000);
});
