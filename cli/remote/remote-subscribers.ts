import { addressKey } from '#core/common/address-hash.ts';
import type { AddSubscriberOutcome } from '#core/subscribers/add-subscriber.ts';
import { parseEmailAddress } from '#core/subscribers/email-address.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import type { EditorApiClient } from './editor-api-client.ts';

/** The most entries `POST /subscribers` takes as JSON in one request. */
export const ADDED_PER_REQUEST = 100;

/** What `subscribers remove` reports of one subscriber, locally and through the editor API. */
export type RemovedSubscriber =
  | { id: string; forgotten: true; kept: string }
  | { id: string; email: string; status: string | undefined };

/**
 * The subscriber routes of a deployed stack's editor API, as the `subscribers` commands use
 * them with `NEWSLETTER_TARGET=aws`. A subscriber is named by id in every URL, never by
 * address.
 */
export class RemoteSubscribers {
  constructor(private readonly api: EditorApiClient) {}

  /** Every subscriber (`GET /subscribers`). */
  list(): Promise<Subscriber[]> {
    return this.api.json<Subscriber[]>('GET', '/subscribers');
  }

  /**
   * Finds subscribers as the stores find them locally, by address (`findByEmail`: trimmed, in
   * any case) or by id, in the list read once here: addresses never go into a URL.
   */
  async finder(): Promise<(given: string) => Subscriber | undefined> {
    const all = await this.list();
    return (given) => {
      if (!parseEmailAddress(given)) return all.find((each) => each.id === given);
      const key = addressKey(given);
      return all.find((each) => addressKey(each.email) === key);
    };
  }

  /** Every subscriber as the CSV of `subscribers export` (`GET /subscribers/export`). */
  exportCsv(): Promise<string> {
    return this.api.text('GET', '/subscribers/export');
  }

  /**
   * Adds valid addresses as the editor's (`POST /subscribers`, JSON), in order, at most
   * {@link ADDED_PER_REQUEST} a request.
   */
  async add(addresses: string[]): Promise<AddSubscriberOutcome[]> {
    const added: AddSubscriberOutcome[] = [];
    for (let start = 0; start < addresses.length; start += ADDED_PER_REQUEST) {
      const entries = addresses.slice(start, start + ADDED_PER_REQUEST).map((email) => ({ email }));
      added.push(
        ...(await this.api.json<AddSubscriberOutcome[]>('POST', '/subscribers', {
          json: { subscribers: entries },
        })),
      );
    }
    return added;
  }

  /** Unsubscribes, or with `forget` erases, one subscriber (`DELETE /subscribers/:id`). */
  remove(subscriber: Subscriber, forget: boolean): Promise<RemovedSubscriber> {
    return this.api.json<RemovedSubscriber>(
      'DELETE',
      `/subscribers/${encodeURIComponent(subscriber.id)}`,
      { query: { forget: forget ? '1' : undefined } },
    );
  }
}
