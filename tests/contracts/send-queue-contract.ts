import { describe, expect, it } from 'vitest';
import type { PrepareStep, SendPage, SendQueue, SendQueueMessage } from '#core/sending/ports.ts';

/** A send queue with a way to take out, and so consume, every message it holds. */
export interface SendQueueSubject {
  queue: SendQueue;
  /** Every message waiting (delayed ones too, once due), each as enqueued; it leaves the queue. */
  takeAll(): Promise<SendQueueMessage[]>;
}

const page = (n: number): SendPage => ({
  issueId: '01JQUEUE000000000000000001',
  subscriberIds: [`s${n}`, `t${n}`],
});
const key = (message: SendQueueMessage) => JSON.stringify(message);

/** What every `SendQueue` promises; `makeSubject` gives an empty queue each time. */
export function describeSendQueueContract(
  name: string,
  makeSubject: () => SendQueueSubject | Promise<SendQueueSubject>,
) {
  describe(`${name} keeps the SendQueue contract`, () => {
    it('is idle while it holds nothing, also after an empty enqueue', async () => {
      const { queue, takeAll } = await makeSubject();

      await queue.enqueue([]);

      expect(await queue.isIdle()).toBe(true);
      expect(await takeAll()).toEqual([]);
    });

    it('holds each page and preparation step as one message, intact', async () => {
      const { queue, takeAll } = await makeSubject();
      const step: PrepareStep = { issueId: '01JQUEUE000000000000000001', prepareFrom: 'cursor-1' };
      const messages = [...Array.from({ length: 12 }, (_, n) => page(n)), step];

      await queue.enqueue(messages);
      const idle = await queue.isIdle();

      expect(idle).toBe(false);
      expect((await takeAll()).map(key).sort()).toEqual(messages.map(key).sort());
    });

    it('is busy while it holds only a preparation step', async () => {
      const { queue } = await makeSubject();

      await queue.enqueue([{ issueId: '01JQUEUE000000000000000001', prepareFrom: 'cursor-1' }]);

      expect(await queue.isIdle()).toBe(false);
    });

    it('is busy while it holds only a delayed page', async () => {
      const { queue } = await makeSubject();

      await queue.enqueue([page(1)], 600);

      expect(await queue.isIdle()).toBe(false);
    });
  });
}
