import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#core/audit/audit-record.ts';
import type { AuditTrail } from '#core/audit/audit-trail.ts';

const record = (at: string, id: string, more: Partial<AuditRecord> = {}): AuditRecord => ({
  at,
  id,
  actor: 'cli:editor',
  action: 'issues pause',
  target: '01JISSUE',
  outcome: { result: 'ok', exitCode: 0 },
  ...more,
});

const first = record('2025-03-07T08:00:00.000Z', '01JA');
const second = record('2025-03-07T09:00:00.000Z', '01JB', {
  actor: 'iam:arn:aws:iam::123456789012:user/ed',
  action: 'POST /issues/:id/cancel',
  outcome: { result: 'refused', status: 409, code: 'issue-state' },
});
const third = record('2025-03-08T08:00:00.000Z', '01JC', { target: undefined });
delete third.target;

/** What every `AuditTrail` promises; `makeSubject` gives an empty trail each time. */
export function describeAuditTrailContract(
  name: string,
  makeSubject: () => AuditTrail | Promise<AuditTrail>,
) {
  describe(`${name} keeps the AuditTrail contract`, () => {
    it('lists nothing when nothing was recorded', async () => {
      const trail = await makeSubject();

      expect(await trail.list()).toEqual([]);
    });

    it('lists every record as given, newest first, whatever order they came in', async () => {
      const trail = await makeSubject();

      await trail.record(second);
      await trail.record(third);
      await trail.record(first);

      expect(await trail.list()).toEqual([third, second, first]);
    });

    it('orders records of the same time by id', async () => {
      const trail = await makeSubject();
      const twin = record(first.at, '01JZ', { action: 'issues resume' });

      await trail.record(twin);
      await trail.record(first);

      expect(await trail.list()).toEqual([twin, first]);
    });

    it('lists the records at or after `since` only', async () => {
      const trail = await makeSubject();
      for (const each of [first, second, third]) await trail.record(each);

      expect(await trail.list({ since: second.at })).toEqual([third, second]);
      expect(await trail.list({ since: '2025-03-09T00:00:00.000Z' })).toEqual([]);
    });

    it('keeps the newest `limit` records, with `since` or without', async () => {
      const trail = await makeSubject();
      for (const each of [first, second, third]) await trail.record(each);

      expect(await trail.list({ limit: 2 })).toEqual([third, second]);
      expect(await trail.list({ since: first.at, limit: 1 })).toEqual([third]);
    });

    it('lists past one page of records', async () => {
      const trail = await makeSubject();
      const many = Array.from({ length: 120 }, (_, index) =>
        record(new Date(Date.UTC(2025, 2, 7, 8, 0, index)).toISOString(), `01J${index}`, {
          // Long enough that the local DynamoDB pages a Query (1 MB) only with many items.
          action: `issues pause ${'x'.repeat(10_000)}`,
        }),
      );
      for (const each of many) await trail.record(each);

      const listed = await trail.list();

      expect(listed).toHaveLength(120);
      expect(listed[0]).toEqual(many[119]);
      expect(listed[119]).toEqual(many[0]);
    });

    it('hands out copies: changing what it returned or was given changes nothing kept', async () => {
      const trail = await makeSubject();
      const given = structuredClone(first);
      await trail.record(given);

      given.outcome.result = 'failed';
      const [got] = await trail.list();
      if (got) got.actor = 'changed by the caller';

      expect(await trail.list()).toEqual([first]);
    });
  });
}
