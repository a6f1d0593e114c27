import { describe, expect, it } from 'vitest';
import { IssueLease, LEASE_MARGIN_MS, LEASE_MS } from '#core/sending/issue-lease.ts';
import type { SendLease } from '#core/sending/ports.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySendLeases } from '../fakes/memory-send-leases.ts';
import { MemoryIssueStore } from '../fakes/memory-stores.ts';

const ISSUE = '01JISSUE000000000000000000';
const HOLDER = '01JHOLDER00000000000000001';
const START = Date.parse('2026-11-27T08:00:00.000Z');

async function setup() {
  const issues = new MemoryIssueStore();
  await issues.create(storedIssue(ISSUE));
  const leases = new MemorySendLeases();
  const steps: string[] = [];
  let time = START;
  const deps = {
    leases: {
      hold: async (issueId: string, lease: SendLease) => {
        steps.push(`hold ${lease.since.slice(11, 19)}`);
        return leases.hold(issueId, lease);
      },
      release: async (issueId: string, lease: SendLease) => {
        steps.push('release');
        return leases.release(issueId, lease);
      },
    },
    issues: {
      get: async (issueId: string) => {
        steps.push('read');
        return issues.get(issueId);
      },
    },
    now: () => new Date(time),
  };
  const lease = new IssueLease(deps, ISSUE, HOLDER);
  return { issues, leases, steps, lease, deps, advance: (ms: number) => (time += ms) };
}

describe('IssueLease, the sender’s lease on an issue', () => {
  it('keeps its term until the margin, then begins a new one: written first, read after', async () => {
    const { lease, steps, leases, advance } = await setup();

    await lease.current();
    advance(LEASE_MS - LEASE_MARGIN_MS - 1);
    await lease.current();
    advance(1);
    await lease.current();

    expect(steps).toEqual(['hold 08:00:00', 'read', 'hold 08:00:03', 'read']);
    expect(await leases.list(ISSUE)).toEqual([
      {
        holder: HOLDER,
        since: '2026-11-27T08:00:03.000Z',
        until: '2026-11-27T08:00:08.000Z',
      },
    ]);
  });

  it('answers with the issue as read under the term, a pause read at the next term', async () => {
    const { lease, issues, advance } = await setup();
    const first = await lease.current();
    const stored = issues.items.get(ISSUE);
    if (stored) stored.state = 'paused';

    const same = await lease.current();
    advance(LEASE_MS - LEASE_MARGIN_MS);
    const next = await lease.current();

    expect([first?.state, same?.state, next?.state]).toEqual(['sending', 'sending', 'paused']);
  });

  it('lets nobody through under the old term once a new one is being written, until its read is back', async () => {
    const { lease, deps, steps } = await setup();
    await lease.current();
    steps.length = 0;
    let written: (value: boolean) => void = () => {};
    const hold = deps.leases.hold;
    deps.leases.hold = (issueId, term) => {
      steps.push('hold, slow');
      return new Promise<boolean>((resolve) => {
        written = resolve;
      }).then(() => hold(issueId, term));
    };

    const renewal = lease.renew();
    const claim = lease.current().then(() => steps.push('claim allowed'));
    await new Promise((resolve) => setImmediate(resolve));
    steps.push('write lands');
    written(true);
    await Promise.all([renewal, claim]);

    expect(steps).toEqual(['hold, slow', 'write lands', 'hold 08:00:00', 'read', 'claim allowed']);
  });

  it('allows no claim when a later term of its own is stored: its clock went back', async () => {
    const { lease, leases, steps } = await setup();
    await leases.hold(ISSUE, {
      holder: HOLDER,
      since: '2026-11-27T08:00:10.000Z',
      until: '2026-11-27T08:00:15.000Z',
    });

    await expect(lease.current()).rejects.toThrow('clock went back');
    expect(steps).toEqual(['hold 08:00:00']);
  });

  it('releases its last term after the writes under way, leaving no lease', async () => {
    const { lease, leases, steps } = await setup();
    await lease.current();

    await lease.release();

    expect(steps).toEqual(['hold 08:00:00', 'read', 'release']);
    expect(await leases.list(ISSUE)).toEqual([]);
  });
});
