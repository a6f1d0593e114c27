import { describe, expect, it } from 'vitest';
import { runsBetween } from '#core/schedule/runs-between.ts';
import { ScheduleExpressionError } from '#core/schedule/schedule-expression-error.ts';
import { scheduleRuns } from '#core/schedule/schedule-runs.ts';

/** The runs as ISO strings in UTC, for readable expectations. */
function runs(expression: string, from: string, count: number, timeZone = 'UTC') {
  return scheduleRuns(expression, timeZone, new Date(from), count).map((run) => run.toISOString());
}

// 2027-01-01 is a Friday; January 2027: Sat 2, Sun 3, Mon 4 … Fri 29, Sun 31.
const NEW_YEAR = '2027-01-01T00:00:00.000Z';

describe('scheduleRuns: the examples of EventBridge’s cron documentation', () => {
  it('cron(0 10 * * ? *): 10:00 every day', () => {
    expect(runs('cron(0 10 * * ? *)', NEW_YEAR, 3)).toEqual([
      '2027-01-01T10:00:00.000Z',
      '2027-01-02T10:00:00.000Z',
      '2027-01-03T10:00:00.000Z',
    ]);
  });

  it('cron(15 12 * * ? *): 12:15 every day', () => {
    expect(runs('cron(15 12 * * ? *)', NEW_YEAR, 2)).toEqual([
      '2027-01-01T12:15:00.000Z',
      '2027-01-02T12:15:00.000Z',
    ]);
  });

  it('cron(0 18 ? * MON-FRI *): 18:00 Monday to Friday', () => {
    expect(runs('cron(0 18 ? * MON-FRI *)', NEW_YEAR, 3)).toEqual([
      '2027-01-01T18:00:00.000Z',
      '2027-01-04T18:00:00.000Z',
      '2027-01-05T18:00:00.000Z',
    ]);
  });

  it('cron(0 8 1 * ? *): 08:00 on the first day of every month', () => {
    expect(runs('cron(0 8 1 * ? *)', NEW_YEAR, 3)).toEqual([
      '2027-01-01T08:00:00.000Z',
      '2027-02-01T08:00:00.000Z',
      '2027-03-01T08:00:00.000Z',
    ]);
  });

  it('cron(0/15 * * * ? *): every 15 minutes', () => {
    expect(runs('cron(0/15 * * * ? *)', NEW_YEAR, 4)).toEqual([
      '2027-01-01T00:15:00.000Z',
      '2027-01-01T00:30:00.000Z',
      '2027-01-01T00:45:00.000Z',
      '2027-01-01T01:00:00.000Z',
    ]);
  });

  it('cron(0/10 * ? * MON-FRI *): every 10 minutes Monday to Friday', () => {
    expect(runs('cron(0/10 * ? * MON-FRI *)', '2027-01-01T23:35:00Z', 4)).toEqual([
      '2027-01-01T23:40:00.000Z',
      '2027-01-01T23:50:00.000Z',
      '2027-01-04T00:00:00.000Z',
      '2027-01-04T00:10:00.000Z',
    ]);
  });

  it('cron(0/5 8-17 ? * MON-FRI *): every 5 minutes from 08:00 to 17:55, Monday to Friday', () => {
    expect(runs('cron(0/5 8-17 ? * MON-FRI *)', '2027-01-01T17:50:00Z', 3)).toEqual([
      '2027-01-01T17:55:00.000Z',
      '2027-01-04T08:00:00.000Z',
      '2027-01-04T08:05:00.000Z',
    ]);
  });

  it('cron(0 9 ? * 2#1 *): 09:00 on the first Monday of every month', () => {
    expect(runs('cron(0 9 ? * 2#1 *)', NEW_YEAR, 4)).toEqual([
      '2027-01-04T09:00:00.000Z',
      '2027-02-01T09:00:00.000Z',
      '2027-03-01T09:00:00.000Z',
      '2027-04-05T09:00:00.000Z',
    ]);
  });

  it('cron(0 0 L * ? *): midnight on the last day of every month, 29 February in a leap year', () => {
    expect(runs('cron(0 0 L * ? *)', NEW_YEAR, 3)).toEqual([
      '2027-01-31T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
      '2027-03-31T00:00:00.000Z',
    ]);
    expect(runs('cron(0 0 L * ? *)', '2028-02-01T00:00:00Z', 1)).toEqual([
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('cron(0 0 ? * 6L *): midnight on the last Friday of every month', () => {
    expect(runs('cron(0 0 ? * 6L *)', NEW_YEAR, 4)).toEqual([
      '2027-01-29T00:00:00.000Z',
      '2027-02-26T00:00:00.000Z',
      '2027-03-26T00:00:00.000Z',
      '2027-04-30T00:00:00.000Z',
    ]);
  });

  it('cron(0 0 15W * ? *): the weekday nearest the 15th (a Saturday moves back, a Sunday on)', () => {
    // 15 May 2027 is a Saturday, 15 August a Sunday; 15 June and 15 July are weekdays.
    expect(runs('cron(0 0 15W * ? *)', '2027-05-01T00:00:00Z', 4)).toEqual([
      '2027-05-14T00:00:00.000Z',
      '2027-06-15T00:00:00.000Z',
      '2027-07-15T00:00:00.000Z',
      '2027-08-16T00:00:00.000Z',
    ]);
  });
});

describe('scheduleRuns: EventBridge’s own rules', () => {
  it('counts the days of the week from 1 = Sunday to 7 = Saturday, as names do', () => {
    const sundays = ['2027-01-03T12:00:00.000Z', '2027-01-10T12:00:00.000Z'];
    const saturdays = ['2027-01-02T12:00:00.000Z', '2027-01-09T12:00:00.000Z'];

    expect(runs('cron(0 12 ? * 1 *)', NEW_YEAR, 2)).toEqual(sundays);
    expect(runs('cron(0 12 ? * SUN *)', NEW_YEAR, 2)).toEqual(sundays);
    expect(runs('cron(0 12 ? * 7 *)', NEW_YEAR, 2)).toEqual(saturdays);
    expect(runs('cron(0 12 ? * sat *)', NEW_YEAR, 2)).toEqual(saturdays);
    // L alone in day-of-week is the last day of the week.
    expect(runs('cron(0 12 ? * L *)', NEW_YEAR, 2)).toEqual(saturdays);
    expect(runs('cron(0 12 ? * 2-6 *)', NEW_YEAR, 3)).toEqual(
      runs('cron(0 12 ? * MON-FRI *)', NEW_YEAR, 3),
    );
    expect(runs('cron(0 12 ? * 1,7 *)', NEW_YEAR, 2)).toEqual([saturdays[0], sundays[0]]);
  });

  it('reads a/n as from a, every n (1/10 is minute 1, 11, 21…)', () => {
    expect(runs('cron(1/10 * * * ? *)', NEW_YEAR, 3)).toEqual([
      '2027-01-01T00:01:00.000Z',
      '2027-01-01T00:11:00.000Z',
      '2027-01-01T00:21:00.000Z',
    ]);
  });

  it('takes lists, ranges, month names and a year', () => {
    expect(runs('cron(0,30 9 1 JAN,JUL ? 2028-2029)', NEW_YEAR, 5)).toEqual([
      '2028-01-01T09:00:00.000Z',
      '2028-01-01T09:30:00.000Z',
      '2028-07-01T09:00:00.000Z',
      '2028-07-01T09:30:00.000Z',
      '2029-01-01T09:00:00.000Z',
    ]);
  });

  it('gives the runs strictly after `from`, and fewer when the years run out', () => {
    expect(runs('cron(0 10 * * ? *)', '2027-01-01T10:00:00.000Z', 1)).toEqual([
      '2027-01-02T10:00:00.000Z',
    ]);
    expect(runs('cron(0 10 * * ? *)', '2027-01-01T09:59:59.999Z', 1)).toEqual([
      '2027-01-01T10:00:00.000Z',
    ]);
    expect(runs('cron(0 0 1 JAN ? 2027-2028)', NEW_YEAR, 5)).toEqual(['2028-01-01T00:00:00.000Z']);
    expect(runs('cron(0 0 30 2 ? *)', NEW_YEAR, 5)).toEqual([]);
  });

  it('evaluates in the schedule’s time zone', () => {
    expect(runs('cron(0 8 ? * FRI *)', NEW_YEAR, 1, 'Europe/London')).toEqual([
      '2027-01-01T08:00:00.000Z',
    ]);
    expect(runs('cron(0 8 ? * FRI *)', '2027-06-01T00:00:00Z', 1, 'Europe/London')).toEqual([
      '2027-06-04T07:00:00.000Z',
    ]);
    expect(runs('cron(0 0 1 * ? *)', NEW_YEAR, 1, 'Asia/Kathmandu')).toEqual([
      '2027-01-31T18:15:00.000Z',
    ]);
  });
});

// In 2027, Paris goes from UTC+1 to UTC+2 at 01:00 UTC on 28 March (local 02:00 becomes 03:00)
// and back at 01:00 UTC on 31 October (local 03:00 becomes 02:00).
describe('scheduleRuns across daylight saving changes, as EventBridge Scheduler runs them', () => {
  const paris = 'Europe/Paris';

  it('keeps 09:00 local across the change; UTC moves by an hour', () => {
    expect(runs('cron(0 9 * * ? *)', '2027-03-27T00:00:00Z', 3, paris)).toEqual([
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
    expect(runs('cron(0 9 * * ? *)', '2027-10-30T00:00:00Z', 3, paris)).toEqual([
      '2027-10-30T07:00:00.000Z',
      '2027-10-31T08:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
    ]);
  });

  it('skips a run whose local time the clocks skip going forward', () => {
    // 02:30 does not exist on 28 March: no run that day.
    expect(runs('cron(30 2 * * ? *)', '2027-03-27T00:00:00Z', 2, paris)).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ]);
    expect(runs('cron(0/30 * * * ? *)', '2027-03-28T00:45:00Z', 2, paris)).toEqual([
      '2027-03-28T01:00:00.000Z',
      '2027-03-28T01:30:00.000Z',
    ]);
  });

  it('runs a local time the clocks show twice going back once, at its first occurrence', () => {
    expect(runs('cron(30 2 * * ? *)', '2027-10-30T12:00:00Z', 2, paris)).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
    ]);
    // 02:00 and 02:30 run at UTC+2; their second pass, at UTC+1, does not run again.
    expect(runs('cron(0/30 * * * ? *)', '2027-10-30T23:45:00Z', 4, paris)).toEqual([
      '2027-10-31T00:00:00.000Z',
      '2027-10-31T00:30:00.000Z',
      '2027-10-31T02:00:00.000Z',
      '2027-10-31T02:30:00.000Z',
    ]);
  });

  it('keeps a rate in days 24 hours long, so its local time moves with the offset', () => {
    const anchor = new Date('2027-03-27T08:00:00Z');
    const from = new Date('2027-03-27T08:00:00Z');
    const daily = scheduleRuns('rate(1 day)', paris, from, 2, { anchor });

    expect(daily.map((run) => run.toISOString())).toEqual([
      '2027-03-28T08:00:00.000Z',
      '2027-03-29T08:00:00.000Z',
    ]);
  });
});

describe('scheduleRuns of rate expressions', () => {
  const from = new Date('2027-01-01T00:07:00Z');

  it('counts from `from` when no anchor is given: the first run is one period later', () => {
    expect(scheduleRuns('rate(5 minutes)', 'UTC', from, 2).map((run) => run.toISOString())).toEqual(
      ['2027-01-01T00:12:00.000Z', '2027-01-01T00:17:00.000Z'],
    );
  });

  it('counts from the anchor, which is itself a run', () => {
    const past = { anchor: new Date('2027-01-01T00:00:00Z') };
    const future = { anchor: new Date('2027-01-01T01:00:00Z') };

    expect(
      scheduleRuns('rate(5 minutes)', 'UTC', from, 2, past).map((run) => run.toISOString()),
    ).toEqual(['2027-01-01T00:10:00.000Z', '2027-01-01T00:15:00.000Z']);
    expect(
      scheduleRuns('rate(1 hour)', 'UTC', from, 2, future).map((run) => run.toISOString()),
    ).toEqual(['2027-01-01T01:00:00.000Z', '2027-01-01T02:00:00.000Z']);
  });
});

describe('scheduleRuns refuses what EventBridge refuses, naming what is wrong', () => {
  const refusals: Array<[string, RegExp]> = [
    ['cron(0 25 * * ? *)', /hours: 25 is not from 0 to 23/],
    ['cron(60 * * * ? *)', /minutes: 60 is not from 0 to 59/],
    ['cron(0 0 ? * 0 *)', /day-of-week: 0 is not from 1 to 7 \(EventBridge counts 1 = SUN/],
    ['cron(0 0 * * *)', /6 fields .* this one 5/],
    ['cron(0 0 * * * *)', /one of day-of-month and day-of-week must be \?/],
    ['cron(0 0 1 * MON *)', /one of day-of-month and day-of-week must be \?/],
    ['cron(0 0 ? * ? *)', /one of day-of-month and day-of-week must be \?/],
    ['cron(0 0 ? * 3#1,6#3 *)', /day-of-week: 3#1,6#3: # takes one day/],
    ['cron(0 0 ? * 2#6 *)', /the week of the month .* 1 to 5/],
    ['cron(0 0 1 FOO ? *)', /month: FOO is not a number or a name/],
    ['cron(0 17-8 * * ? *)', /hours: 17-8: a range goes from low to high/],
    ['cron(0 0 1 1 ? 1969)', /year: 1969 is not from 1970 to 2199/],
    ['cron(0/0 * * * ? *)', /minutes: 0\/0: the step/],
    ['cron(0 0 LW * ? *)', /LW is not in EventBridge/],
    ['cron(0 0 ? * MON/2 *)', /day-of-week: MON\/2: EventBridge takes no \//],
    ['rate(1 hours)', /rate\(1 hour\) for a value of 1/],
    ['rate(5 hour)', /rate\(5 hours\) for more/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(2 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['at(2027-01-01T00:00:00)', /one-time schedule/],
    ['every friday', /must be cron\(…\) or rate\(…\)/],
  ];

  it.each(refusals)('%s', (expression, problem) => {
    let caught: unknown;
    try {
      scheduleRuns(expression, 'UTC', new Date(NEW_YEAR), 1);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ScheduleExpressionError);
    expect((caught as ScheduleExpressionError).expression).toBe(expression);
    expect((caught as Error).message).toMatch(problem);
    expect((caught as Error).message.startsWith(`${expression}: `)).toBe(true);
  });
});

describe('runsBetween', () => {
  const after = new Date('2027-01-01T00:00:00Z');
  const through = new Date('2027-01-01T00:10:00Z');

  it('counts the runs after the first time up to and including the second, and the last', () => {
    const between = runsBetween('cron(* * * * ? *)', 'UTC', after, through);

    expect(between).toEqual({ count: 10, last: through, more: false });
  });

  it('stops counting at the limit and says there were more, naming the real last run', () => {
    const between = runsBetween('cron(* * * * ? *)', 'UTC', after, through, { limit: 3 });
    const yearLater = new Date('2028-01-01T00:00:00Z');

    expect(between).toEqual({ count: 3, last: through, more: true });
    expect(runsBetween('cron(0 9 ? * 2#1 *)', 'UTC', after, yearLater, { limit: 2 })).toEqual({
      count: 2,
      last: new Date('2027-12-06T09:00:00Z'),
      more: true,
    });
  });

  it('counts a rate from its anchor', () => {
    const anchor = new Date('2026-12-31T23:58:00Z');

    expect(runsBetween('rate(5 minutes)', 'UTC', after, through, { anchor })).toEqual({
      count: 2,
      last: new Date('2027-01-01T00:08:00Z'),
      more: false,
    });
    expect(runsBetween('rate(1 day)', 'UTC', after, through, { anchor })).toEqual({
      count: 0,
      more: false,
    });
    // Before the anchor, nothing ran; the anchor itself is a run.
    expect(
      runsBetween('rate(1 hour)', 'UTC', after, through, { anchor: new Date(through) }),
    ).toEqual({ count: 1, last: through, more: false });
  });

  it('finds none when no run fell between', () => {
    expect(runsBetween('cron(0 9 * * ? *)', 'UTC', after, through)).toEqual({
      count: 0,
      more: false,
    });
  });
});
