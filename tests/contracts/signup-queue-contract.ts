import { describe, expect, it } from 'vitest';
import type { DueConfirmation, SignupQueue, SignupRequest } from '#core/subscribers/ports.ts';

const ERASE = '2025-04-09T08:00:00.000Z';

function request(second: number, changes: Partial<SignupRequest> = {}): SignupRequest {
  const requestedAt = `2025-03-07T08:00:${String(second).padStart(2, '0')}.000Z`;
  return {
    id: `${requestedAt}#01JREQUEST${String(second).padStart(16, '0')}`,
    requestedAt,
    email: `reader-${second}@example.org`,
    eraseAfter: ERASE,
    ...changes,
  };
}

function due(second: number): DueConfirmation {
  const { id, requestedAt } = request(second);
  return { id, requestedAt, subscriberId: `01JSUBSCRIBER${second}`, eraseAfter: ERASE };
}

/** What every `SignupQueue` promises; `makeSubject` gives an empty queue each time. */
export function describeSignupQueueContract(
  name: string,
  makeSubject: () => SignupQueue | Promise<SignupQueue>,
) {
  describe(`${name} keeps the SignupQueue contract`, () => {
    it('gives back requests oldest first, as added, up to the limit', async () => {
      const queue = await makeSubject();
      const named = request(1, { name: 'Ana' });
      for (const each of [request(3), named, request(2)]) await queue.addRequest(each);

      expect(await queue.oldestRequests(10)).toEqual([named, request(2), request(3)]);
      expect(await queue.oldestRequests(2)).toEqual([named, request(2)]);
    });

    it('keeps the confirmations due apart from the requests', async () => {
      const queue = await makeSubject();
      await queue.addRequest(request(1));
      await queue.addDue(due(2));
      await queue.addDue(due(1));

      expect(await queue.oldestDue(10)).toEqual([due(1), due(2)]);
      expect(await queue.oldestRequests(10)).toEqual([request(1)]);
    });

    it('keeps the kind of a request and of an entry due, and adds none to a sign-up', async () => {
      const queue = await makeSubject();
      const leaveLink = request(1, { kind: 'leave-link' });
      const leaveLinkDue: DueConfirmation = { ...due(1), kind: 'leave-link' };
      await queue.addRequest(leaveLink);
      await queue.addRequest(request(2));
      await queue.addDue(leaveLinkDue);
      await queue.addDue(due(2));

      const requests = await queue.oldestRequests(10);
      const dues = await queue.oldestDue(10);

      expect(requests).toEqual([leaveLink, request(2)]);
      expect(requests[1]).not.toHaveProperty('kind');
      expect(dues).toEqual([leaveLinkDue, due(2)]);
      expect(dues[1]).not.toHaveProperty('kind');
    });

    it('replaces an entry added again, and removes one only from its own line', async () => {
      const queue = await makeSubject();
      await queue.addRequest(request(1));
      await queue.addRequest(request(1));
      await queue.addDue(due(1));

      await queue.removeRequest(request(1).id);
      await queue.removeRequest('never-added');
      await queue.removeDue('never-added');

      expect(await queue.oldestRequests(10)).toEqual([]);
      expect(await queue.oldestDue(10)).toEqual([due(1)]);
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const queue = await makeSubject();
      const given = request(1);
      await queue.addRequest(given);

      given.email = 'changed@example.org';
      const [got] = await queue.oldestRequests(1);
      if (got) got.name = 'Changed';

      expect(await queue.oldestRequests(1)).toEqual([request(1)]);
    });
  });
}
