import { describe, expect, it } from 'vitest';
import { actionsFor, sendProgress } from '#cli/studio/page/issue-actions.ts';
import type { IssueState } from '#core/issues/ports.ts';

function actions(state: IssueState, approved = false) {
  return actionsFor({ state, approved, subject: 'Kites' }).map((spec) => spec.action);
}

describe('actionsFor', () => {
  it('offers each state the actions its life allows', () => {
    expect(actions('draft')).toEqual(['approve', 'send', 'schedule', 'cancel']);
    expect(actions('draft', true)).toEqual(['send', 'schedule', 'cancel']);
    expect(actions('scheduled')).toEqual(['send', 'unschedule', 'cancel']);
    expect(actions('sending')).toEqual(['pause', 'cancel']);
    expect(actions('paused')).toEqual(['resume', 'cancel']);
    expect(actions('sent')).toEqual([]);
    expect(actions('cancelled')).toEqual([]);
  });

  it('asks to confirm sending and cancelling only, naming the issue', () => {
    const specs = actionsFor({ state: 'draft', approved: false, subject: 'Kites' });

    expect(specs.filter((spec) => spec.confirm).map((spec) => spec.action)).toEqual([
      'send',
      'cancel',
    ]);
    for (const spec of specs.filter((each) => each.confirm))
      expect(spec.confirm).toContain('“Kites”');
  });

  it('gives scheduling a time field', () => {
    const schedule = actionsFor({ state: 'draft', approved: false, subject: 'Kites' }).find(
      (spec) => spec.action === 'schedule',
    );

    expect(schedule?.needsTime).toBe(true);
  });
});

describe('sendProgress', () => {
  it('counts sent, failed and cancelled messages as done, of the recipients', () => {
    expect(sendProgress({ recipients: 10, sent: 4, failed: 1, cancelled: 2 })).toEqual({
      done: 7,
      total: 10,
    });
  });

  it('has no progress before the issue has recipients', () => {
    expect(sendProgress({ recipients: 0, sent: 0, failed: 0, cancelled: 0 })).toBeUndefined();
  });
});
