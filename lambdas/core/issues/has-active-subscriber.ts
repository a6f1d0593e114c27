import type { SubscriberPages } from '../subscribers/ports.ts';

/** Whether any subscriber is active, reading pages only until one is found. */
export async function hasActiveSubscriber(pages: SubscriberPages): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await pages.page(cursor, 100);
    if (page.subscribers.some((subscriber) => subscriber.status === 'active')) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}
