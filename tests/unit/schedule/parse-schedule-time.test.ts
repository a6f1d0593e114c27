import { describe, expect, it } from 'vitest';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import { ScheduleTimeParseError } from '#core/schedule/schedule-time-parse-error.ts';

const paris = 'Europe/Paris';

function refusal(text: string, timeZone: string): ScheduleTimeParseError {
  try {
    parseScheduleTime(text, timeZone);
  } catch (error) {
    if (error instanceof ScheduleTimeParseError) return error;
    throw error;
  }
  throw new Error(`${text} was taken`);
}

describe('parseScheduleTime', () => {
  it('reads a time without an offset in the schedule’s time zone, summer or winter', () => {
    expect(parseScheduleTime('2027-04-06T09:00', paris).toISOString()).toBe(
      '2027-04-06T07:00:00.000Z',
    );
    expect(parseScheduleTime('2027-01-06T09:00', paris).toISOString()).toBe(
      '2027-01-06T08:00:00.000Z',
    );
    expect(parseScheduleTime('2027-04-06T09:00', 'America/New_York').toISOString()).toBe(
      '2027-04-06T13:00:00.000Z',
    );
  });

  it('takes Z or an offset as that instant, whatever the time zone', () => {
    expect(parseScheduleTime('2027-04-06T09:00Z', paris).toISOString()).toBe(
      '2027-04-06T09:00:00.000Z',
    );
    expect(parseScheduleTime('2027-04-06T09:00:00+05:30', paris).toISOString()).toBe(
      '2027-04-06T03:30:00.000Z',
    );
    expect(parseScheduleTime('2027-04-06T09:00-0400', paris).toISOString()).toBe(
      '2027-04-06T13:00:00.000Z',
    );
    expect(parseScheduleTime('2027-04-06T09:00+02', paris).toISOString()).toBe(
      '2027-04-06T07:00:00.000Z',
    );
  });

  it('takes a space for the T, seconds and a fraction', () => {
    expect(parseScheduleTime('2027-04-06 09:00:30.25', paris).toISOString()).toBe(
      '2027-04-06T07:00:30.250Z',
    );
  });

  it('takes a time inside a skipped hour when an offset says which instant it is', () => {
    expect(parseScheduleTime('2027-03-28T02:30+01:00', paris).toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
  });

  it('refuses a local time the clocks skip, naming the last minute before and the first after', () => {
    // Paris goes from 02:00 UTC+1 to 03:00 UTC+2 at 01:00 UTC on 28 March 2027.
    const error = refusal('2027-03-28T02:30', paris);

    expect(error.message).toMatch(/^2027-03-28 02:30 does not exist in Europe\/Paris/);
    expect(error.message).toContain('from 02:00 to 03:00');
    expect(error.message).toContain('2027-03-28T01:59:00+01:00 (00:59 UTC)');
    expect(error.message).toContain('2027-03-28T03:00:00+02:00 (01:00 UTC)');
    expect(error.instants.map((instant) => instant.toISOString())).toEqual([
      '2027-03-28T00:59:00.000Z',
      '2027-03-28T01:00:00.000Z',
    ]);
  });

  it('refuses a local time the clocks show twice, naming both instants with their offsets', () => {
    const error = refusal('2027-10-31T02:30', paris);

    expect(error.message).toMatch(/^2027-10-31 02:30 happens twice in Europe\/Paris/);
    expect(error.message).toContain('2027-10-31T02:30:00+02:00 (00:30 UTC)');
    expect(error.message).toContain('2027-10-31T02:30:00+01:00 (01:30 UTC)');
    expect(error.instants.map((instant) => instant.toISOString())).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-10-31T01:30:00.000Z',
    ]);
  });

  it('finds the changes of other zones too (New York, and Lord Howe’s half hour)', () => {
    expect(refusal('2027-03-14T02:30', 'America/New_York').instants).toEqual([
      new Date('2027-03-14T06:59:00Z'),
      new Date('2027-03-14T07:00:00Z'),
    ]);
    expect(refusal('2027-11-07T01:30', 'America/New_York').instants).toEqual([
      new Date('2027-11-07T05:30:00Z'),
      new Date('2027-11-07T06:30:00Z'),
    ]);
    // Lord Howe Island goes from UTC+10:30 to UTC+11 at 02:00 local: 02:00-02:29 is skipped.
    expect(refusal('2027-10-03T02:15', 'Australia/Lord_Howe').message).toContain(
      'from 02:00 to 02:30',
    );
    expect(parseScheduleTime('2027-10-03T02:30', 'Australia/Lord_Howe').toISOString()).toBe(
      '2027-10-02T15:30:00.000Z',
    );
    // Auckland's change is at 14:00 UTC the day before: the UTC date is given too.
    expect(refusal('2027-09-26T02:30', 'Pacific/Auckland').message).toContain(
      '2027-09-26T03:00:00+13:00 (2027-09-25 14:00 UTC)',
    );
  });

  it('refuses what is not an ISO 8601 date and time, or no real one', () => {
    expect(refusal('next friday', paris).message).toMatch(/not a date and time in ISO 8601 form/);
    expect(refusal('2027-04-06', paris).message).toMatch(/not a date and time in ISO 8601 form/);
    expect(refusal('2027-02-30T09:00', paris).message).toMatch(/not a real date and time/);
    expect(refusal('2027-04-06T24:00', paris).message).toMatch(/not a real date and time/);
    expect(refusal('2027-04-06T09:00+25:00', paris).message).toMatch(/offset from UTC/);
  });
});
