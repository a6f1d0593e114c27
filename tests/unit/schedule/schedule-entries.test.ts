import { describe, expect, it } from 'vitest';
import { scheduleEntries } from '#cli/commands/schedule-command.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';

const paris = 'Europe/Paris';
const runs = [new Date('2027-04-06T07:00:00Z'), new Date('2027-04-13T07:00:00Z')];

describe('scheduleEntries (newsletter schedule)', () => {
  it('merges the runs and the scheduled issues in time order, in both zones', () => {
    const issues = [
      storedIssue('LATE', { state: 'scheduled', scheduledAt: '2027-05-01T10:00:00.000Z' }),
      storedIssue('EARLY', { state: 'scheduled', scheduledAt: '2027-04-08T16:30:00.000Z' }),
    ];

    const { entries, undated } = scheduleEntries(runs, issues, paris);

    expect(
      entries.map(({ at, atLocal, kind, issueId }) => ({ at, atLocal, kind, issueId })),
    ).toEqual([
      {
        at: '2027-04-06T07:00:00.000Z',
        atLocal: '2027-04-06T09:00:00+02:00',
        kind: 'recurring',
        issueId: undefined,
      },
      {
        at: '2027-04-08T16:30:00.000Z',
        atLocal: '2027-04-08T18:30:00+02:00',
        kind: 'issue',
        issueId: 'EARLY',
      },
      {
        at: '2027-04-13T07:00:00.000Z',
        atLocal: '2027-04-13T09:00:00+02:00',
        kind: 'recurring',
        issueId: undefined,
      },
      {
        at: '2027-05-01T10:00:00.000Z',
        atLocal: '2027-05-01T12:00:00+02:00',
        kind: 'issue',
        issueId: 'LATE',
      },
    ]);
    expect(undated).toEqual([]);
  });

  it('leaves out issues that are not scheduled, and puts a run before an issue at its instant', () => {
    const issues = [
      storedIssue('DRAFT', { state: 'draft' }),
      storedIssue('SENT', { state: 'sent', scheduledAt: '2027-04-06T07:00:00.000Z' }),
      storedIssue('SAME', { state: 'scheduled', scheduledAt: '2027-04-06T07:00:00.000Z' }),
    ];

    const { entries } = scheduleEntries(runs, issues, paris);

    expect(entries.map((entry) => entry.issueId ?? entry.kind)).toEqual([
      'recurring',
      'SAME',
      'recurring',
    ]);
  });

  it('sets apart a scheduled issue whose time cannot be read', () => {
    const broken = storedIssue('BROKEN', { state: 'scheduled' });

    const { entries, undated } = scheduleEntries(runs, [broken], paris);

    expect(entries).toHaveLength(2);
    expect(undated).toEqual([broken]);
  });
});
