import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

/** Milliseconds between the comment lines that keep an idle stream open. */
const PING_MS = 15_000;

/** One connected page: its stream, and how to end the wait that keeps it open. */
interface Listener {
  stream: SSEStreamingApi;
  end(): void;
}

/**
 * The studio's server-sent events (`GET /api/events`): each page that connects gets `ready`
 * first, then every event the server sends to all (`send`), and a comment line every 15 s
 * that keeps the connection up. docs/studio.md lists the events.
 */
export class StudioEvents {
  private readonly listeners = new Set<Listener>();
  private readonly ping: NodeJS.Timeout;
  private closed = false;

  constructor() {
    this.ping = setInterval(() => this.comment('ping'), PING_MS);
    this.ping.unref();
  }

  /** How many pages listen now. */
  get size(): number {
    return this.listeners.size;
  }

  /**
   * The answer to `GET /api/events`: a stream that starts with `ready` and stays open until
   * the page goes or the studio stops.
   */
  stream(c: Context, ready: unknown): Response {
    return streamSSE(c, async (stream) => {
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        const listener: Listener = { stream, end: resolve };
        stream.onAbort(() => {
          this.listeners.delete(listener);
          resolve();
        });
        this.listeners.add(listener);
        // Written at once, before any other event can be: `ready` always comes first.
        write(stream, 'ready', ready);
      });
    });
  }

  /** Sends an event, its data as JSON, to every page that listens. */
  send(event: string, data: unknown): void {
    for (const { stream } of this.listeners) write(stream, event, data);
  }

  /** Ends every stream and refuses new ones: the studio stops. */
  close(): void {
    this.closed = true;
    clearInterval(this.ping);
    for (const listener of this.listeners) listener.end();
    this.listeners.clear();
  }

  private comment(text: string): void {
    for (const { stream } of this.listeners) {
      stream.write(`: ${text}\n\n`).catch(() => stream.abort());
    }
  }
}

/** Writes one event; a stream that cannot be written to has gone, and is aborted. */
function write(stream: SSEStreamingApi, event: string, data: unknown): void {
  stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => stream.abort());
}
