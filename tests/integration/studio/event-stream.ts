/** One server-sent event as the page receives it. */
export interface ReceivedEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields of its event.
  data: any;
}

/** The studio's event stream, read as a page reads it. */
export interface EventStream {
  /** Every event received so far, in order. */
  received: ReceivedEvent[];
  /**
   * The first event named `event` received from now on (or already, after `from`) for which
   * `holds` is true; rejects when none came within `waitMs` (a failure, not a measure).
   */
  next(
    event: string,
    holds?: (data: ReceivedEvent['data']) => boolean,
    options?: { from?: number; waitMs?: number },
  ): Promise<ReceivedEvent['data']>;
  close(): void;
}

/** Connects to `GET /api/events` and parses the stream as it comes. */
export async function openEventStream(base: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/events`, {
    signal: controller.signal,
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
  const received: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed) {
          received.push(parsed);
          for (const wake of waiters) wake();
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  reading.catch((error: unknown) => {
    if ((error as Error).name !== 'AbortError') throw error;
  });
  return {
    received,
    next(event, holds = () => true, options = {}) {
      let index = options.from ?? received.length;
      return new Promise((resolve, reject) => {
        const look = () => {
          for (; index < received.length; index++) {
            const candidate = received[index];
            if (candidate?.event === event && holds(candidate.data)) {
              finish();
              resolve(candidate.data);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${event} event came (received: ${names(received)})`));
        }, options.waitMs ?? 15_000);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(look);
        };
        waiters.add(look);
        look();
      });
    },
    close: () => controller.abort(),
  };
}

function parseBlock(block: string): ReceivedEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
  }
  if (data.length === 0) return undefined;
  return { event, data: JSON.parse(data.join('\n')) };
}

function names(received: ReceivedEvent[]): string {
  return received.map((each) => each.event).join(', ') || 'none';
}
