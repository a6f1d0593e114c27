import type { Subscriber } from '#core/subscribers/ports.ts';

/** Reader number `n` of a test list: an id and an address that sort by `n`. */
export function subscriber(n: number, status: Subscriber['status'] = 'active'): Subscriber {
  return {
    id: `01SUB${String(n).padStart(21, '0')}`,
    email: `reader${n}@example.com`,
    status,
    source: 'cli',
    createdAt: '2026-11-01T00:00:00Z',
  };
}
