import type { Check } from '#core/checks/check.ts';
import type { PreviewAnswer } from './api-types.ts';
import { groupChecks } from './check-groups.ts';
import { byId, type HTMLElement, h } from './dom.ts';
import { kilobytes, type SizeGauge, sizeGauge } from './size-gauge.ts';

/**
 * The findings of the checks on the message shown (`checks` of the preview answer), grouped
 * by severity, errors first (notes folded away), under a gauge of the HTML's size against
 * the budget and Gmail's clip.
 */
export class ChecksPanel {
  private readonly gauge = h('div', { class: 'gauge-figure' });
  private readonly groups = h('div', { class: 'check-groups' });
  private readonly stale = h(
    'p',
    { class: 'help', hidden: true },
    'These are the checks of the last render that worked.',
  );

  constructor() {
    byId('checks').append(this.gauge, this.stale, this.groups);
  }

  show(preview: PreviewAnswer): void {
    this.stale.hidden = true;
    this.gauge.replaceChildren(...gaugeNodes(sizeGauge(preview.size)));
    this.groups.replaceChildren(
      ...groupChecks(preview.checks).map((group) => {
        const heading = `${group.title} (${group.checks.length})`;
        const list = h(
          'ul',
          { class: `checks checks-${group.severity}` },
          ...group.checks.map(checkItem),
        );
        if (group.severity === 'info') {
          return h('details', { class: 'check-group' }, h('summary', {}, heading), list);
        }
        return h(
          'div',
          { class: 'check-group' },
          h('h3', {}, heading),
          group.checks.length > 0 ? list : h('p', { class: 'help' }, 'None.'),
        );
      }),
    );
  }

  /** Says the checks shown are those of an earlier render (the latest failed). */
  markStale(): void {
    this.stale.hidden = false;
  }
}

function checkItem(check: Check): HTMLElement {
  const about = [check.rule, check.client, check.where].filter(Boolean).join(' · ');
  return h(
    'li',
    { class: 'check' },
    h('p', {}, check.message),
    h('p', { class: 'check-about' }, about),
  );
}

const stateWords: Record<SizeGauge['state'], string> = {
  within: 'within the budget',
  'over-budget': 'over the budget',
  clipped: "over Gmail's clip: Gmail will hide its end",
};

function gaugeNodes(gauge: SizeGauge): HTMLElement[] {
  const bar = h('div', { class: `gauge gauge-${gauge.state}`, 'aria-hidden': 'true' });
  const fill = h('div', { class: 'gauge-fill' });
  fill.style.width = `${gauge.bytesPercent}%`;
  bar.append(fill);
  const mark = (percent: number, label: string, kind: string) => {
    const element = h(
      'div',
      { class: `gauge-mark gauge-mark-${kind}` },
      h('span', { class: 'gauge-label' }, label),
    );
    element.style.setProperty('left', `${percent}%`);
    return element;
  };
  bar.append(mark(gauge.budgetPercent, 'budget', 'budget'));
  bar.append(mark(gauge.clipPercent, 'Gmail clips', 'clip'));
  const budget = `the budget is ${kilobytes(gauge.budget)} (${gauge.budget.toLocaleString('en')} bytes)`;
  return [
    h('h3', {}, 'HTML size'),
    bar,
    h(
      'p',
      { class: 'gauge-text', id: 'size-figures' },
      `${kilobytes(gauge.bytes)} (${gauge.bytes.toLocaleString('en')} bytes), ${stateWords[gauge.state]}: ${budget}; Gmail clips at ${kilobytes(gauge.gmailClip)}.`,
    ),
  ];
}
