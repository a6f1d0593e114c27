/** How much a finding matters: `error` blocks nothing by itself, but will hurt readers. */
export type CheckSeverity = 'error' | 'warning' | 'info';

/**
 * One finding of a check on the HTML that will really be sent (never on the template
 * source), as the editor API's preview answers it.
 */
export interface Check {
  /** The rule's stable name, e.g. `size`, `image-alt`, `css-display-flex`. */
  rule: string;
  severity: CheckSeverity;
  /** What is wrong and what to do, in a sentence; never an address. */
  message: string;
  /** The mail client the finding is about, for compatibility findings. */
  client?: string;
  /** Where in the HTML: e.g. the element and a short excerpt of it, or `line 12`. */
  where?: string;
}
