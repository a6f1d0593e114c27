import * as z from 'zod';
import { hasControlCharacter } from '../common/control-characters.ts';

/** SMTP's limit on a forward path (RFC 5321 4.5.3.1.3, less the angle brackets). */
const MAX_ADDRESS_LENGTH = 254;
/** Longest display name kept for a subscriber. */
export const MAX_NAME_LENGTH = 100;

const email = z.email();

/** The address trimmed, or undefined when it is not a plain, deliverable-looking address. */
export function parseEmailAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_ADDRESS_LENGTH) return undefined;
  return email.safeParse(trimmed).success ? trimmed : undefined;
}

/**
 * A subscriber's name trimmed (undefined when blank), or an error message when it cannot
 * be kept: too long, or holding control characters.
 */
export function parseSubscriberName(
  value: unknown,
): { ok: true; name: string | undefined } | { ok: false; message: string } {
  if (value === undefined || value === null) return { ok: true, name: undefined };
  if (typeof value !== 'string') return { ok: false, message: 'name must be text' };
  const trimmed = value.trim();
  if (hasControlCharacter(trimmed))
    return { ok: false, message: 'name must not contain control characters' };
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    return { ok: false, message: `name must be at most ${MAX_NAME_LENGTH} characters` };
  }
  return { ok: true, name: trimmed === '' ? undefined : trimmed };
}
