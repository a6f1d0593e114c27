import { describe, expect, it } from 'vitest';
import { chartSeries, MAX_FILLED_MINUTES } from '#cli/studio/page/timeline-series.ts';

const at = (minute: string) => Date.parse(`${minute}:00Z`) / 1000;

describe('chartSeries', () => {
  it('gives delivered, permanent bounces and complaints per minute, the minutes between filled with zeros', () => {
    const series = chartSeries({
      minutes: [
        { minute: '2026-12-01T09:03', counts: { delivered: 2, complained: 1 } },
        {
          minute: '2026-12-01T09:00',
          counts: { delivered: 5, bouncedPermanent: 1, bouncedTransient: 3 },
        },
      ],
    });

    expect(series).toEqual({
      x: [
        at('2026-12-01T09:00'),
        at('2026-12-01T09:01'),
        at('2026-12-01T09:02'),
        at('2026-12-01T09:03'),
      ],
      delivered: [5, 0, 0, 2],
      bounced: [1, 0, 0, 0],
      complained: [0, 0, 0, 1],
    });
  });

  it('adds sent when the minutes count it', () => {
    const series = chartSeries({
      minutes: [{ minute: '2026-12-01T09:00', counts: { sent: 7, delivered: 6 } }],
    });

    expect(series.sent).toEqual([7]);
  });

  it('keeps only the minutes it has when they span more than two days', () => {
    const series = chartSeries({
      minutes: [
        { minute: '2026-12-01T09:00', counts: { delivered: 1 } },
        { minute: '2026-12-04T09:00', counts: { delivered: 1 } },
      ],
    });

    expect(MAX_FILLED_MINUTES).toBe(2880);
    expect(series.x).toEqual([at('2026-12-01T09:00'), at('2026-12-04T09:00')]);
  });

  it('gives empty series for an issue without events', () => {
    expect(chartSeries({ minutes: [] })).toEqual({
      x: [],
      delivered: [],
      bounced: [],
      complained: [],
    });
  });
});
