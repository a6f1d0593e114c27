import { describe, expect, it } from 'vitest';
import { describeBothZones, formatBothZones } from '#core/schedule/format-both-zones.ts';

describe('formatBothZones', () => {
  it('gives UTC and the zone’s local time with the offset in force then', () => {
    expect(formatBothZones(new Date('2027-04-06T07:00:00Z'), 'Europe/Paris')).toEqual({
      at: '2027-04-06T07:00:00.000Z',
      atLocal: '2027-04-06T09:00:00+02:00',
    });
    expect(formatBothZones(new Date('2027-01-06T08:00:00Z'), 'Europe/Paris')).toEqual({
      at: '2027-01-06T08:00:00.000Z',
      atLocal: '2027-01-06T09:00:00+01:00',
    });
    expect(formatBothZones(new Date('2027-01-06T08:00:00Z'), 'America/New_York').atLocal).toBe(
      '2027-01-06T03:00:00-05:00',
    );
    expect(formatBothZones(new Date('2027-01-06T08:00:00Z'), 'UTC').atLocal).toBe(
      '2027-01-06T08:00:00+00:00',
    );
  });

  it('names the same instant in both', () => {
    const date = new Date('2027-10-31T00:30:00Z');
    const { at, atLocal } = formatBothZones(date, 'Asia/Kathmandu');

    expect(atLocal).toBe('2027-10-31T06:15:00+05:45');
    expect(Date.parse(atLocal)).toBe(Date.parse(at));
  });
});

describe('describeBothZones', () => {
  it('says the local time, the zone and the UTC time', () => {
    expect(describeBothZones(new Date('2027-04-06T07:00:00Z'), 'Europe/Paris')).toBe(
      '2027-04-06 09:00 Europe/Paris (07:00 UTC)',
    );
  });

  it('gives the UTC date too when it is another day, and seconds when there are some', () => {
    expect(describeBothZones(new Date('2027-04-05T22:30:00Z'), 'Europe/Paris')).toBe(
      '2027-04-06 00:30 Europe/Paris (2027-04-05 22:30 UTC)',
    );
    expect(describeBothZones(new Date('2027-04-06T07:00:30Z'), 'Europe/Paris')).toBe(
      '2027-04-06 09:00:30 Europe/Paris (07:00:30 UTC)',
    );
  });

  it('says UTC once when the zone is UTC', () => {
    expect(describeBothZones(new Date('2027-04-06T07:00:00Z'), 'UTC')).toBe('2027-04-06 07:00 UTC');
  });
});
