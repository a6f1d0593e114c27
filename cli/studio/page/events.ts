import type { StudioEvents } from './api-types.ts';
import { type MessageEvent, openEventSource } from './dom.ts';

/** What the page does with each of the studio's events, and with the connection's state. */
export type StudioEventHandlers = {
  [Name in keyof StudioEvents]: (data: StudioEvents[Name]) => void;
} & {
  /** The stream broke; the browser reconnects by itself, and `ready` comes again. */
  disconnected(): void;
};

const names: readonly (keyof StudioEvents)[] = [
  'ready',
  'templates-changed',
  'articles-changed',
  'issue',
];

/**
 * Listens to `GET /api/events` (server-sent events, JSON data). An event whose data is not
 * JSON is reported on the console and otherwise ignored.
 */
export function listenToStudio(handlers: StudioEventHandlers): void {
  const source = openEventSource('/api/events');
  for (const name of names) {
    source.addEventListener(name, (event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent).data);
      } catch (error) {
        console.error(`studio event ${name}: the data is not JSON`, error);
        return;
      }
      (handlers[name] as (data: unknown) => void)(data);
    });
  }
  source.addEventListener('error', () => handlers.disconnected());
}
