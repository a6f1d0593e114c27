import type { Check, CheckSeverity } from '#core/checks/check.ts';

/** The checks of one severity. */
export interface CheckGroup {
  severity: CheckSeverity;
  /** The group's heading, e.g. `Errors`. */
  title: string;
  checks: Check[];
}

const order: readonly { severity: CheckSeverity; title: string }[] = [
  { severity: 'error', title: 'Errors' },
  { severity: 'warning', title: 'Warnings' },
  { severity: 'info', title: 'Notes' },
];

/** The checks grouped by severity, errors first; every group is given, empty or not. */
export function groupChecks(checks: readonly Check[]): CheckGroup[] {
  return order.map(({ severity, title }) => ({
    severity,
    title,
    checks: checks.filter((check) => check.severity === severity),
  }));
}
