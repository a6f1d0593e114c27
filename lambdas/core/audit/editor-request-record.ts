import { withoutAddresses } from '../common/without-addresses.ts';
import type { AuditOutcome, AuditRecord } from './audit-record.ts';

/** One request to the editor API that changed (or tried to change) something. */
export interface EditorRequest {
  at: Date;
  id: string;
  actor: string;
  method: string;
  /** The route as the router declares it, below the mount: `/issues/:id/pause`. */
  route: string;
  /** The route's parameters: `:id` names the target. */
  params: Record<string, string>;
  /** The answer's status. */
  status: number;
  /** The error code of a refusal or failure (`{ error: { code } }`). */
  code?: string;
  /** The id the answer names when the route has none (a draft's new `issueId`, a new `kid`). */
  answerId?: string;
}

/**
 * The audit record of an editor API request: the route's pattern (never the raw URL), the
 * target from its `:id` (`:kid` for a link key) or else from the answer, and the outcome from
 * the status (2xx `ok`, 4xx `refused`, else `failed`). A target that looks like an address is
 * left out.
 */
export function editorRequestRecord(request: EditorRequest): AuditRecord {
  const target = request.params.id ?? request.params.kid ?? request.answerId;
  const outcome: AuditOutcome = {
    result: outcomeOfStatus(request.status),
    status: request.status,
    ...(request.code ? { code: request.code } : {}),
  };
  return {
    at: request.at.toISOString(),
    id: request.id,
    actor: request.actor,
    action: `${request.method} ${request.route}`,
    ...(target && withoutAddresses(target) === target ? { target } : {}),
    outcome,
  };
}

function outcomeOfStatus(status: number): AuditOutcome['result'] {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 400 && status < 500) return 'refused';
  return 'failed';
}

/**
 * The parameters of `route` (`/issues/:id/pause`) in `path` (`/api/issues/01J…/pause`),
 * matched from the end so that a mount prefix does not matter; decoded.
 */
export function routeParams(route: string, path: string): Record<string, string> {
  const names = route.split('/').reverse();
  const values = path.replace(/\/+$/, '').split('/').reverse();
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const value = values[index];
    if (name.startsWith(':') && value !== undefined) params[name.slice(1)] = decoded(value);
  });
  return params;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed percent-encoding: the segment as sent.
    return segment;
  }
}
