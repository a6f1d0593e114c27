import type { Config } from '../common/config.ts';
import type { Check } from './check.ts';
import { htmlSize } from './html-size.ts';

/**
 * The size of the minified HTML (UTF-8 bytes) against `htmlBudgetBytes` and Gmail's clip:
 * one finding, an `error` over the clip, a `warning` over the budget, else an `info`. Its
 * message gives the size and the limit it is measured against.
 */
export function checkSize(html: string, options: Pick<Config, 'htmlBudgetBytes'>): Check {
  const { bytes, budget, gmailClip } = htmlSize(html, options.htmlBudgetBytes);
  const size = `${figure(bytes)} bytes`;
  if (bytes > gmailClip) {
    return {
      rule: 'size',
      severity: 'error',
      message: `The HTML is ${size}, over Gmail's clip at ${figure(gmailClip)} bytes (the budget is ${figure(budget)}): Gmail will hide its end, the unsubscribe link with it. Cut articles or slides.`,
    };
  }
  if (bytes > budget) {
    return {
      rule: 'size',
      severity: 'warning',
      message: `The HTML is ${size}, over the budget of ${figure(budget)} bytes (htmlBudgetBytes; Gmail clips at ${figure(gmailClip)}). Cut articles or slides.`,
    };
  }
  return {
    rule: 'size',
    severity: 'info',
    message: `The HTML is ${size}, within the budget of ${figure(budget)} bytes (Gmail clips at ${figure(gmailClip)}).`,
  };
}

/** 92160 → `92,160`, the same in every locale. */
function figure(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}
