import uPlot from 'uplot';
import type { IssueTimeline } from './api-types.ts';
import { h } from './dom.ts';
import { type ChartSeries, chartSeries } from './timeline-series.ts';

const lines = [
  { key: 'delivered', label: 'Delivered', stroke: '#1b6e3a' },
  { key: 'bounced', label: 'Bounced (permanent)', stroke: '#b3261e' },
  { key: 'complained', label: 'Complained', stroke: '#8a4b00' },
  { key: 'sent', label: 'Sent', stroke: '#0b57a4' },
] as const;

/**
 * The chart of an issue over time (uPlot): delivered, bounced and complained per minute, and
 * sent when the timeline counts it; with a sentence that says the totals, for whoever does
 * not see the chart.
 */
export class IssueChart {
  readonly element = h('div', { class: 'issue-chart' });
  private readonly summary = h('p', { class: 'help' });
  private readonly canvas = h('div', { class: 'issue-chart-canvas', 'aria-hidden': 'true' });
  private plot: uPlot | undefined;
  private shape = '';

  constructor() {
    this.element.append(this.summary, this.canvas);
  }

  draw(timeline: IssueTimeline, width: number): void {
    const series = chartSeries(timeline);
    this.summary.textContent = summaryOf(series);
    if (series.x.length === 0) {
      this.destroy();
      return;
    }
    const shown = lines.filter((line) => series[line.key] !== undefined);
    const data: uPlot.AlignedData = [series.x, ...shown.map((line) => series[line.key] ?? [])];
    const shape = shown.map((line) => line.key).join();
    if (this.plot && shape === this.shape) {
      this.plot.setData(data);
      return;
    }
    this.destroy();
    this.shape = shape;
    const steps = uPlot.paths.stepped?.({ align: 1 });
    this.plot = new uPlot(
      {
        width: Math.max(280, width),
        height: 200,
        scales: { x: { time: true } },
        series: [
          {},
          ...shown.map((line) => ({
            label: line.label,
            stroke: line.stroke,
            width: 2,
            // A count per minute: a step for each minute, not a slope between them.
            ...(steps ? { paths: steps } : {}),
          })),
        ],
        axes: [{}, { label: 'per minute', size: 50 }],
        legend: { live: false },
      },
      data,
      this.canvas,
    );
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.shape = '';
  }
}

function summaryOf(series: ChartSeries): string {
  if (series.x.length === 0) return 'No deliveries, bounces or complaints reported yet.';
  const total = (values: number[] | undefined) =>
    (values ?? []).reduce((sum, value) => sum + value, 0);
  const parts = [
    `${total(series.delivered)} delivered`,
    `${total(series.bounced)} bounced`,
    `${total(series.complained)} complained`,
    ...(series.sent ? [`${total(series.sent)} sent`] : []),
  ];
  return `Over ${series.x.length} minute${series.x.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}
