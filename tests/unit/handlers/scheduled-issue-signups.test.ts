import { describe, expect, it } from 'vitest';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { createScheduledIssueHandler } from '#handlers/scheduled-issue.ts';
import { memoryIssueDeps } from '../fakes/memory-issue-deps.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

const DAY_MINUTES = 24 * 60;

/** The issue builder on in-memory stores, with the sign-up jobs' ports. */
function setup() {
  const signups = memorySubscriptionDeps();
  const deps = memoryIssueDeps(signups.subscribers, {
    renderIssue: async () => {
      throw new Error('nothing renders here');
    },
    newId: () => '01JUNUSED00000000000000000',
    now: signups.now,
    archive: async () => {},
  });
  const logs: Record<string, unknown>[] = [];
  const handler = createScheduledIssueHandler(async () => ({
    deps,
    log: (line) => logs.push(line),
    requireApproval: false,
    signups,
  }));
  return { signups, handler, logs };
}

describe('the issue builder’s sign-up work', () => {
  it('mails the confirmation of a queued sign-up at the minute tick, and says so without the address', async () => {
    const { signups, handler, logs } = setup();
    await subscribe(signups, { email: 'new.reader@example.org' });

    await handler({ tick: true });

    expect(signups.mailer.sent.map((message) => message.to)).toEqual(['new.reader@example.org']);
    const line = logs.find((each) => each.message === 'sign-up confirmations');
    expect(line).toMatchObject({ stored: 1, sent: 1 });
    expect(JSON.stringify(logs)).not.toContain('new.reader@example.org');
  });

  it('erases a sign-up never confirmed past pendingDays on { eraseStalePendings: true }, and starts no issue', async () => {
    const { signups, handler, logs } = setup();
    await subscribe(signups, { email: 'forgot@example.org' });
    await handler({ tick: true });
    signups.clock.advance((signups.config.pendingDays + 1) * DAY_MINUTES);

    const result = await handler({ eraseStalePendings: true });

    expect(result).toEqual({ kind: 'erased', erased: 1 });
    expect(await signups.subscribers.findByEmail('forgot@example.org')).toBeUndefined();
    expect(logs).toContainEqual({ message: 'forgotten sign-ups erased', erased: 1 });
  });
});
