import { describe, expect, it } from 'vitest';
import { isDuplicated } from '#cli/local/event-source-poller.ts';
import { FAULTS_SEED_ENV, faultDraw, localFaultsSeed } from '#cli/local/fault-draw.ts';

describe('faultDraw', () => {
  it('gives the same number for the same seed, kind and identity, from 0 to 1', () => {
    const first = faultDraw('seed', 'ses', '7', 'a@example.com', 1);
    const others = [faultDraw('seed', 'ses', '7', 'b@example.com', 1), faultDraw('x', 'ses', '7')];

    const again = faultDraw('seed', 'ses', '7', 'a@example.com', 1);

    expect(again).toBe(first);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
    expect(others).not.toContain(first);
  });

  it('keeps the parts of an identity apart', () => {
    expect(faultDraw('s', 'ses', 'ab', 'c')).not.toBe(faultDraw('s', 'ses', 'a', 'bc'));
  });
});

describe('localFaultsSeed', () => {
  it('takes NEWSLETTER_LOCAL_FAULTS_SEED, else one seed for the whole process', () => {
    const given = localFaultsSeed({ [FAULTS_SEED_ENV]: ' 1234 ' });
    const drawn = localFaultsSeed({});

    expect(given).toBe('1234');
    expect(localFaultsSeed({})).toBe(drawn);
    expect(drawn).not.toBe('');
  });
});

describe('isDuplicated', () => {
  const deliveries = Array.from({ length: 2000 }, (_, i) => ({
    body: JSON.stringify({ issueId: '7', subscriberIds: [`s${i}`] }),
    receiveCount: (i % 2) + 1,
  }));
  const duplicated = (seed: string, order: typeof deliveries) =>
    order
      .filter((delivery) => isDuplicated({ share: 0.2, seed }, delivery))
      .map((delivery) => `${delivery.body}#${delivery.receiveCount}`)
      .sort();

  it('duplicates the same deliveries for the same seed, whatever order they come in', () => {
    const inOrder = duplicated('42', deliveries);
    const reversed = duplicated('42', [...deliveries].reverse());

    expect(reversed).toEqual(inOrder);
    expect(Math.abs(inOrder.length / deliveries.length - 0.2)).toBeLessThan(0.03);
  });

  it('duplicates other deliveries for another seed, and none for a share of 0', () => {
    const none = deliveries.filter((delivery) => isDuplicated({ share: 0, seed: '42' }, delivery));

    expect(duplicated('43', deliveries)).not.toEqual(duplicated('42', deliveries));
    expect(none).toEqual([]);
  });
});
