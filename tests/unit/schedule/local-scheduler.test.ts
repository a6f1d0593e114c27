import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalScheduler,
  type ScheduledIssueInvoke,
  type SchedulerClock,
  startLocalScheduler,
} from '#cli/local/local-scheduler.ts';
import { SCHEDULE_RECORD_FILE, type ScheduleRecord } from '#cli/local/schedule-record.ts';

/** Lets the promises that a fired timer started settle, as the event loop would. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock whose time moves only when the test says, firing the timers that come due. */
class FakeClock implements SchedulerClock {
  private timers: Array<{ at: number; callback: () => void; order: number }> = [];
  private order = 0;

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + ms, callback, order: this.order++ };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((t) => t !== timer);
  }

  /** Moves time on to `iso`, firing each timer due on the way at its time. */
  async advanceTo(iso: string): Promise<void> {
    const until = Date.parse(iso);
    while (true) {
      const [next] = this.timers
        .filter((t) => t.at <= until)
        .sort((a, b) => a.at - b.at || a.order - b.order);
      if (!next) break;
      this.clearTimer(next);
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = until;
    await settle();
  }

  /** Moves time on without firing anything: the process slept. */
  sleep(ms: number): void {
    this.time += ms;
  }
}

interface Invocation {
  event: { tick?: boolean };
  at: string;
}

let stateDir: string;
let clock: FakeClock;
let invocations: Invocation[];
let logs: Array<Record<string, unknown>>;
let warnings: string[];
let handlersMade: number;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'newsletter-scheduler-'));
  invocations = [];
  logs = [];
  warnings = [];
  handlersMade = 0;
});

function start(
  expression: string,
  startAt: string,
  handler: ScheduledIssueInvoke = async (event) => {
    invocations.push({ event, at: new Date(clock.now()).toISOString() });
  },
): Promise<LocalScheduler> {
  clock = new FakeClock(Date.parse(startAt));
  return startLocalScheduler({
    stateDir,
    expression,
    timeZone: 'Europe/Paris',
    createHandler: async () => {
      handlersMade += 1;
      return handler;
    },
    log: (line) => logs.push(line),
    warn: (message) => warnings.push(message),
    clock,
  });
}

async function record(): Promise<ScheduleRecord> {
  return JSON.parse(await readFile(join(stateDir, SCHEDULE_RECORD_FILE), 'utf8'));
}

describe('the local scheduler of serve', () => {
  it('invokes the handler with {} at each run, and with { tick: true } at each minute', async () => {
    // 09:00 in Paris is 07:00 UTC in April.
    const scheduler = await start('cron(0 9 * * ? *)', '2027-04-06T06:58:30Z');

    expect(scheduler.nextRun?.toISOString()).toBe('2027-04-06T07:00:00.000Z');
    await clock.advanceTo('2027-04-06T07:00:30Z');
    await scheduler.stop();

    expect(invocations).toEqual([
      { event: { tick: true }, at: '2027-04-06T06:59:00.000Z' },
      { event: {}, at: '2027-04-06T07:00:00.000Z' },
      { event: { tick: true }, at: '2027-04-06T07:00:00.000Z' },
    ]);
    // One container for them all, as Lambda keeps one warm.
    expect(handlersMade).toBe(1);
  });

  it('logs each run with its time and keeps it in the state folder', async () => {
    const scheduler = await start('cron(0 9 * * ? *)', '2027-04-06T06:58:30Z');
    await clock.advanceTo('2027-04-06T07:00:30Z');
    await scheduler.stop();

    expect(logs).toContainEqual({
      message: 'scheduled run',
      function: 'scheduled-issue',
      scheduledAt: '2027-04-06T07:00:00.000Z',
    });
    expect(await record()).toMatchObject({
      expression: 'cron(0 9 * * ? *)',
      timeZone: 'Europe/Paris',
      accountedThrough: '2027-04-06T07:00:00.000Z',
      lastRunAt: '2027-04-06T07:00:00.000Z',
    });
    expect(scheduler.nextRun?.toISOString()).toBe('2027-04-07T07:00:00.000Z');
  });

  it('runs one invocation at a time: a run due meanwhile waits, a tick is dropped', async () => {
    let finish: () => void = () => {};
    const slow: ScheduledIssueInvoke = async (event) => {
      invocations.push({ event, at: new Date(clock.now()).toISOString() });
      if (invocations.length === 1) await new Promise<void>((resolve) => (finish = resolve));
    };
    const scheduler = await start('cron(* * * * ? *)', '2027-04-06T06:59:30Z', slow);

    // The 07:00 run starts; its tick, the 07:01 run and the 07:01 tick come while it works.
    await clock.advanceTo('2027-04-06T07:01:30Z');
    expect(invocations).toEqual([{ event: {}, at: '2027-04-06T07:00:00.000Z' }]);

    finish();
    await settle();
    await scheduler.stop();

    expect(invocations).toEqual([
      { event: {}, at: '2027-04-06T07:00:00.000Z' },
      { event: {}, at: '2027-04-06T07:01:30.000Z' },
    ]);
  });

  it('logs a failed invocation, and runs again at the next run', async () => {
    let calls = 0;
    const failing: ScheduledIssueInvoke = async (event) => {
      calls += 1;
      if (!event.tick) throw new Error('the table is gone');
    };
    const scheduler = await start('cron(0 9 * * ? *)', '2027-04-06T06:59:30Z', failing);
    await clock.advanceTo('2027-04-07T07:00:30Z');
    await scheduler.stop();

    const failures = logs.filter((line) => line.message === 'scheduled-issue failed');
    expect(failures).toEqual([
      {
        level: 'error',
        message: 'scheduled-issue failed',
        run: 'schedule',
        error: 'Error: the table is gone',
      },
      {
        level: 'error',
        message: 'scheduled-issue failed',
        run: 'schedule',
        error: 'Error: the table is gone',
      },
    ]);
    expect(calls).toBeGreaterThan(2);
  });

  it('tells at the start the runs missed while serve was down, and makes none of them', async () => {
    const previous: ScheduleRecord = {
      expression: 'cron(0 9 * * ? *)',
      timeZone: 'Europe/Paris',
      anchor: '2027-04-01T00:00:00.000Z',
      accountedThrough: '2027-04-03T07:00:00.000Z',
      lastRunAt: '2027-04-03T07:00:00.000Z',
    };
    await writeFile(join(stateDir, SCHEDULE_RECORD_FILE), JSON.stringify(previous));

    // Down for the runs of 4, 5 and 6 April; back at 09:30 on the 6th.
    const scheduler = await start('cron(0 9 * * ? *)', '2027-04-06T07:30:00Z');
    await scheduler.stop();

    expect(warnings).toEqual([
      'the schedule (cron(0 9 * * ? *)) missed 3 runs while serve was down, the last at ' +
        '2027-04-06 09:00 Europe/Paris (07:00 UTC); they are not made up for: ' +
        '`newsletter send` sends the next issue now',
    ]);
    expect(invocations).toEqual([]);
    expect(await record()).toMatchObject({
      accountedThrough: '2027-04-06T07:30:00.000Z',
      lastRunAt: '2027-04-03T07:00:00.000Z',
    });
  });

  it('tells missed runs once: the next start, with no run missed since, tells nothing', async () => {
    const previous: ScheduleRecord = {
      expression: 'cron(0 9 * * ? *)',
      timeZone: 'Europe/Paris',
      anchor: '2027-04-01T00:00:00.000Z',
      accountedThrough: '2027-04-05T07:00:00.000Z',
    };
    await writeFile(join(stateDir, SCHEDULE_RECORD_FILE), JSON.stringify(previous));

    await (await start('cron(0 9 * * ? *)', '2027-04-06T07:30:00Z')).stop();
    await (await start('cron(0 9 * * ? *)', '2027-04-06T08:30:00Z')).stop();

    expect(warnings).toEqual([expect.stringContaining('missed 1 run while serve was down')]);
  });

  it('counts a rate from when serve first ran it, across restarts', async () => {
    await (await start('rate(1 hour)', '2027-04-06T07:00:00Z')).stop();
    const scheduler = await start('rate(1 hour)', '2027-04-06T08:30:00Z');

    expect(warnings).toEqual([expect.stringContaining('missed 1 run while serve was down')]);
    expect(scheduler.nextRun?.toISOString()).toBe('2027-04-06T09:00:00.000Z');
    await scheduler.stop();
  });

  it('makes one run of the runs that fell while the process slept, and logs the others', async () => {
    const scheduler = await start('cron(* * * * ? *)', '2027-04-06T06:59:30Z');
    clock.sleep(5 * 60_000);
    await clock.advanceTo('2027-04-06T07:04:45Z');
    await scheduler.stop();

    const runs = invocations.filter((invocation) => !invocation.event.tick);
    expect(runs).toEqual([{ event: {}, at: '2027-04-06T07:04:30.000Z' }]);
    expect(logs).toContainEqual({
      level: 'warn',
      message: 'schedule runs missed while the process slept',
      missed: 4,
      last: '2027-04-06T07:04:00.000Z',
    });
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'scheduled run',
        scheduledAt: '2027-04-06T07:04:00.000Z',
      }),
    );
  });

  it('refuses an expression EventBridge would refuse', async () => {
    await expect(start('cron(0 9 * * * *)', '2027-04-06T06:58:30Z')).rejects.toThrow(
      /one of day-of-month and day-of-week must be \?/,
    );
  });
});
