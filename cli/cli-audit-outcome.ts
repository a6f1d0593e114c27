import { apiErrorOf } from '#app/editor-api/api-error-of.ts';
import type { AuditOutcome } from '#core/audit/audit-record.ts';

/**
 * How a CLI command's work ended, for the audit trail: `ok` when it returned with exit code 0,
 * `failed` with its exit code otherwise; when it threw, `refused` (what the editor API answers
 * with a 4xx: a state or input the core refuses) or `failed`, with the error's name.
 */
export function cliAuditOutcome(ended: { exitCode: number } | { error: unknown }): AuditOutcome {
  if ('exitCode' in ended) {
    return { result: ended.exitCode === 0 ? 'ok' : 'failed', exitCode: ended.exitCode };
  }
  const refusal = apiErrorOf(ended.error);
  const name = ended.error instanceof Error ? ended.error.name : 'Error';
  return {
    result: refusal && refusal.status < 500 ? 'refused' : 'failed',
    exitCode: 1,
    code: name,
  };
}
