import { describe, expect, it } from 'vitest';
import { scheduleEntries } from '#app/editor-api/schedule-entries.ts';
import { scheduleEntries as cliScheduleEntries } from '#cli/commands/schedule-command.ts';
import { storedIssue } from '../../fakes/memory-issue-deps.ts';

const ZONE = 'Europe/Paris';

describe('scheduleEntries', () => {
  it('lists what `newsletter schedule --json` prints for the same runs and issues: time order, a run before an issue at its instant, undated issues left out', () => {
    const runs = [new Date('2027-04-02T07:00:00Z'), new Date('2027-04-09T07:00:00Z')];
    const issues = [
      storedIssue('01JLATER', { state: 'scheduled', scheduledAt: '2027-04-20T07:00:00.000Z' }),
      storedIssue('01JATRUN', { state: 'scheduled', scheduledAt: '2027-04-09T07:00:00.000Z' }),
      storedIssue('01JUNDATED', { state: 'scheduled', scheduledAt: 'soon' }),
      storedIssue('01JDRAFT', { state: 'draft', scheduledAt: '2027-04-03T07:00:00.000Z' }),
    ];

    const entries = scheduleEntries(runs, issues, ZONE);
    const cli = cliScheduleEntries(runs, issues, ZONE).entries.map(
      ({ at, atLocal, kind, issueId }) =>
        kind === 'issue' ? { at, atLocal, kind, issueId } : { at, atLocal, kind },
    );

    expect(entries).toEqual(cli);
    expect(entries.map((entry) => entry.issueId ?? entry.kind)).toEqual([
      'recurring',
      'recurring',
      '01JATRUN',
      '01JLATER',
    ]);
    expect(entries[0]).toEqual({
      at: '2027-04-02T07:00:00.000Z',
      atLocal: '2027-04-02T09:00:00+02:00',
      kind: 'recurring',
    });
  });
});
